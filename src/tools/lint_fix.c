/*
 * lint_fix_apply: the input with the findings' edits applied.
 *
 * Edits are byte ranges of the client's text with replacement text; they
 * never overlap (lint_fix_set drops a finding's edits when they would), so
 * applying them is one ordered pass.  At one offset, insertions go before a
 * replacement, each group in the order the rules made them.
 */
#include <stdlib.h>

#include "tools/tools_int.h"

static int edit_cmp(const void *a, const void *b)
{
    const LintEdit *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    bool xi = x->start == x->end, yi = y->start == y->end;
    if (xi != yi) return xi ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

char *lint_fix_apply(LintCtx *lc)
{
    LintEdit *edits = mem_alloc(lc->cx, sizeof(LintEdit) * (lc->n_edits + 1));
    for (size_t i = 0; i < lc->n_edits; i++)
        edits[i] = lc->edits[i];
    if (lc->n_edits > 1) qsort(edits, lc->n_edits, sizeof(LintEdit), edit_cmp);
    StrBuf sb;
    strbuf_init(&sb);
    strbuf_reserve(&sb, (size_t)lc->sql_len);
    int pos = 0;
    for (size_t i = 0; i < lc->n_edits; i++) {
        const LintEdit *e = &edits[i];
        if (e->start < pos) continue; /* cannot happen: overlaps are refused */
        strbuf_append(&sb, lc->sql + pos, (size_t)(e->start - pos));
        strbuf_append_str(&sb, e->text);
        pos = e->end;
    }
    strbuf_append(&sb, lc->sql + pos, (size_t)(lc->sql_len - pos));
    char *out = mem_strdup(lc->cx, sb.data ? sb.data : "");
    strbuf_fini(&sb);
    return out;
}
