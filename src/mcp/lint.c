/*
 * The dsql_lint tool (spec §4.8): the tools room's linter called in-process
 * instead of the original's dsql-lint child process.  The answer is taken
 * from the linter's own JSON rendering (files[0]), so the MCP tool and
 * `borealis lint --format json` can never disagree on a diagnostic's shape.
 */
#include <string.h>

#include "mcp/mcp_int.h"
#include "tools/tools.h"

static json_t *empty_result(void)
{
    return json_pack("{s:[], s:n, s:{s:i, s:i, s:i}}", "diagnostics", "fixed_sql", "summary",
                     "errors", 0, "warnings", 0, "fixed", 0);
}

void mcp_tool_dsql_lint(json_t *args, McpToolResult *out)
{
    json_t *jsql = json_object_get(args, "sql");
    json_t *jfix = json_object_get(args, "fix");
    if (!json_is_string(jsql)) {
        mcp_result_error(out, "sql must be a string");
        return;
    }
    if (jfix && !json_is_boolean(jfix) && !json_is_null(jfix)) {
        mcp_result_error(out, "fix must be a boolean");
        return;
    }
    const char *sql = json_string_value(jsql);
    bool fix = json_is_true(jfix);
    /* jansson counts bytes; the limit is in characters (code points). */
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
        if ((*p & 0xC0) != 0x80) chars++;
    if (chars > MCP_LINT_MAX_CHARS) {
        mcp_result_error(out, "sql is longer than %d characters", MCP_LINT_MAX_CHARS);
        return;
    }
    if (strspn(sql, " \t\r\n\f\v") == strlen(sql)) {
        out->object = empty_result();
        return;
    }
    MemContext *cx = mem_context_create(NULL, "mcp lint");
    LintResult r;
    DbError err;
    if (tools_lint_sql(sql, fix, cx, &r, &err) != 0) {
        mcp_result_error(out, "%s", err.message);
        mem_context_destroy(cx);
        return;
    }
    StrBuf js;
    strbuf_init(&js);
    tools_lint_render_json(&r, "<stdin>", fix, &js);
    json_t *doc = json_loadb(js.data, js.len, 0, NULL);
    json_t *file = json_array_get(json_object_get(doc, "files"), 0);
    if (!file) {
        mcp_result_error(out, "dsql-lint returned no file result");
    } else {
        json_t *fixed = json_object_get(file, "fixed_sql");
        out->object = json_pack(
            "{s:O, s:O, s:O}", "diagnostics", json_object_get(file, "diagnostics"), "fixed_sql",
            fix && fixed ? fixed : json_null(), "summary", json_object_get(doc, "summary"));
    }
    json_decref(doc);
    strbuf_fini(&js);
    mem_context_destroy(cx);
}
