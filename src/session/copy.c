/*
 * COPY: not built yet.  The extended-protocol work brings COPY FROM STDIN
 * and COPY TO STDOUT in text and CSV formats; until then COPY is refused.
 */
#include "session/session_int.h"

int session_copy(Session *s, const ParsedStmt *ps, DbError *err)
{
    (void)s;
    (void)ps;
    return db_error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED, "COPY is not supported yet");
}
