/*
 * Session settings: the parameters SHOW knows, their defaults, which are
 * reported to the client (ParameterStatus), and which DSQL lets SET change
 * (spec §1.3).  Values are per session (SessionGucs).
 */
#include <string.h>
#include <strings.h>

#include "session/session.h"

static const Guc gucs[] = {
    {"application_name", "", true, true},
    {"client_encoding", "UTF8", true, true},
    {"DateStyle", "ISO, MDY", true, true},
    {"default_transaction_isolation", "repeatable read", false, false},
    {"default_transaction_read_only", "off", true, false},
    {"extra_float_digits", "1", false, true},
    {"in_hot_standby", "off", true, false},
    {"integer_datetimes", "on", true, false},
    {"IntervalStyle", "postgres", true, true},
    {"is_superuser", "off", true, false},
    {"max_identifier_length", "63", false, false},
    {"scram_iterations", "4096", true, false},
    {"search_path", "\"$user\", public", false, true},
    {"server_encoding", "UTF8", true, false},
    {"server_version", BOREALIS_SERVER_VERSION, true, false},
    {"server_version_num", BOREALIS_SERVER_VERSION_NUM, false, false},
    {"session_authorization", NULL, true, false},
    {"standard_conforming_strings", "on", true, false},
    {"TimeZone", "UTC", true, true},
    {"transaction_isolation", "repeatable read", false, false},
    {"transaction_read_only", "off", false, false},
    {"enable_bitmapscan", "on", false, true},
    {"enable_hashjoin", "on", false, true},
    {"enable_indexonlyscan", "on", false, true},
    {"enable_indexscan", "on", false, true},
    {"enable_material", "on", false, true},
    {"enable_mergejoin", "on", false, true},
    {"enable_nestloop", "on", false, true},
    {"enable_seqscan", "on", false, true},
    {"dsql.enable_batched_nestloop", "on", false, true},
    {"disable_sync_create_index", "on", false, true},
};

_Static_assert(sizeof gucs / sizeof gucs[0] <= 32, "SessionGucs holds 32 values");

size_t session_guc_count(void)
{
    return ARRAY_LEN(gucs);
}

const Guc *session_guc_at(size_t index)
{
    return index < ARRAY_LEN(gucs) ? &gucs[index] : NULL;
}

const Guc *session_guc_find(const char *name, size_t *index)
{
    for (size_t i = 0; i < ARRAY_LEN(gucs); i++) {
        if (strcasecmp(gucs[i].name, name) == 0) {
            if (index) *index = i;
            return &gucs[i];
        }
    }
    return NULL;
}

void session_gucs_init(SessionGucs *g, const char *user)
{
    for (size_t i = 0; i < ARRAY_LEN(gucs); i++) {
        const char *v = gucs[i].default_value ? gucs[i].default_value : user;
        strncpy(g->values[i], v, SESSION_GUC_VALUE_MAX - 1);
        g->values[i][SESSION_GUC_VALUE_MAX - 1] = '\0';
    }
}
