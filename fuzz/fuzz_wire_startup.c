/*
 * libFuzzer target: arbitrary bytes as a startup packet body (what follows
 * the length word) through wire_startup_decode, then the accessors and the
 * NegotiateProtocolVersion encoder on whatever decoded.  Must never crash,
 * read out of bounds or leak; a decoded packet must satisfy the invariants
 * checked below.  Seeds: fuzz/corpus/fuzz_wire_startup/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    MemContext *cx = mem_context_create(NULL, "fuzz");
    WireStartup s;
    DbError err;
    if (wire_startup_decode(data, size, cx, &s, &err) == 0) {
        if (s.kind == WIRE_STARTUP_MESSAGE) {
            if (s.protocol != WIRE_PROTOCOL_3_0 || s.n_params > LIMIT_STARTUP_PARAMS ||
                s.n_protocol_options > LIMIT_STARTUP_PARAMS)
                abort();
            const char *user = wire_startup_param(&s, "user");
            if (user == NULL || user[0] == '\0') abort();
            for (size_t i = 0; i < s.n_params; i++)
                if (strncmp(s.names[i], "_pq_.", 5) == 0) abort();
            StrBuf out;
            strbuf_init(&out);
            if (wire_startup_needs_negotiation(&s)) wire_startup_negotiation_encode(&out, &s);
            strbuf_fini(&out);
        }
    } else if (err.sqlstate[0] == '\0' || err.severity != DB_SEVERITY_FATAL) {
        abort(); /* every startup failure closes the connection */
    }
    mem_context_destroy(cx);
    return 0;
}
