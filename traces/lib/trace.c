/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Reader and writer of the smmu transaction trace format (traces/FORMAT.md). The parser walks
   the buffer with explicit bounds (no NUL termination assumed, any byte value accepted as
   input) and stops at the first malformed line with "<file>:<line>: <problem>". */
#include <smmu/trace.h>

#include <smmu/smmu.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_LEN 255
#define PATH_MAX_LEN 4095

struct smmu_trace {
    unsigned version;
    char name[NAME_MAX_LEN + 1];
    char scenario[PATH_MAX_LEN + 1];
    smmu_trace_txn_t *txn;
    size_t n, cap;
};

static const char *const status_names[] = {"", "ok", "fault", "razwi", "stall"};
static const char *const cache_names[] = {"tlb", "walk", "ipa", "ste", "cd", "l1"};
#define N_CACHES (sizeof(cache_names) / sizeof(cache_names[0]))

const char *smmu_trace_status_name(unsigned status) {
    return status < sizeof(status_names) / sizeof(status_names[0]) ? status_names[status] : "";
}

const char *smmu_trace_cache_name(unsigned cache) {
    return cache < N_CACHES ? cache_names[cache] : NULL;
}

/* ------------------------------------------------------------------ parsing helpers */

typedef struct {
    const char *p;
    size_t len;
} tok_t;

typedef struct {
    const char *name;
    unsigned line;
    smmu_trace_error_t *err;
} ctx_t;

static bool tok_is(tok_t t, const char *s) {
    size_t n = strlen(s);
    return t.len == n && memcmp(t.p, s, n) == 0;
}

/* Quotes a token for a message: printable ASCII as is, other bytes as \xNN, at most ~48 bytes. */
static void quote(char *out, size_t outlen, tok_t t) {
    size_t o = 0;
    if (outlen < 8) {
        if (outlen) out[0] = 0;
        return;
    }
    out[o++] = '"';
    for (size_t i = 0; i < t.len; i++) {
        unsigned char c = (unsigned char)t.p[i];
        if (o + 8 >= outlen || i >= 48) {
            out[o++] = '.';
            out[o++] = '.';
            out[o++] = '.';
            break;
        }
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            out[o++] = (char)c;
        } else {
            static const char hex[] = "0123456789abcdef";
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        }
    }
    out[o++] = '"';
    out[o] = 0;
}

static int fail(ctx_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(ctx_t *c, const char *fmt, ...) {
    if (!c->err) return -1;
    char what[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    c->err->line = c->line;
    if (c->line)
        snprintf(c->err->msg, sizeof c->err->msg, "%s:%u: %s", c->name, c->line, what);
    else
        snprintf(c->err->msg, sizeof c->err->msg, "%s: %s", c->name, what);
    return -1;
}

static bool is_blank(char ch) {
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f';
}

/* Unsigned decimal or 0x hex, whole token, no overflow. */
static bool parse_u64(tok_t t, uint64_t *v) {
    uint64_t x = 0;
    size_t i = 0;
    if (t.len == 0) return false;
    if (t.len > 2 && t.p[0] == '0' && (t.p[1] == 'x' || t.p[1] == 'X')) {
        for (i = 2; i < t.len; i++) {
            char ch = t.p[i];
            unsigned d;
            if (ch >= '0' && ch <= '9')
                d = (unsigned)(ch - '0');
            else if (ch >= 'a' && ch <= 'f')
                d = (unsigned)(ch - 'a' + 10);
            else if (ch >= 'A' && ch <= 'F')
                d = (unsigned)(ch - 'A' + 10);
            else
                return false;
            if (x >> 60) return false;
            x = (x << 4) | d;
        }
    } else {
        for (i = 0; i < t.len; i++) {
            char ch = t.p[i];
            if (ch < '0' || ch > '9') return false;
            unsigned d = (unsigned)(ch - '0');
            if (x > (UINT64_MAX - d) / 10) return false;
            x = x * 10 + d;
        }
    }
    *v = x;
    return true;
}

static int num_field(ctx_t *c, tok_t t, const char *what, uint64_t max, uint64_t *v) {
    char q[128];
    if (!parse_u64(t, v)) {
        quote(q, sizeof q, t);
        return fail(c, "%s: %s is not a number (decimal, or hex with 0x)", what, q);
    }
    if (*v > max) {
        quote(q, sizeof q, t);
        return fail(c, "%s: %s is out of range (maximum 0x%" PRIx64 ")", what, q, max);
    }
    return 0;
}

/* Comma-separated list of names, or "-": bit i set for names[i]. */
static int name_list(ctx_t *c, tok_t t, const char *what, const char *const *names, unsigned n,
                     uint32_t *out) {
    *out = 0;
    if (tok_is(t, "-")) return 0;
    size_t i = 0;
    while (i <= t.len) {
        size_t j = i;
        while (j < t.len && t.p[j] != ',')
            j++;
        tok_t item = {t.p + i, j - i};
        unsigned k;
        for (k = 0; k < n; k++)
            if (names[k] && tok_is(item, names[k])) break;
        char q[128];
        if (k == n) {
            quote(q, sizeof q, item);
            return fail(c, "%s: unknown name %s", what, q);
        }
        if (*out & (1u << k)) {
            quote(q, sizeof q, item);
            return fail(c, "%s: %s given twice", what, q);
        }
        *out |= 1u << k;
        i = j + 1;
    }
    return 0;
}

static const char *const flag_names[] = {"priv", "instr", "secure", "ats-req", "ats-trans"};
#define N_FLAGS (sizeof(flag_names) / sizeof(flag_names[0]))

static int parse_event(ctx_t *c, tok_t t, uint32_t *ev) {
    uint64_t v;
    if (parse_u64(t, &v) && v <= 0xFF) {
        *ev = (uint32_t)v;
        return 0;
    }
    for (uint32_t e = 1; e <= 0xFF; e++) {
        const char *n = smmu_event_name(e);
        if (n && strcmp(n, "UNKNOWN") != 0 && tok_is(t, n)) {
            *ev = e;
            return 0;
        }
    }
    char q[128];
    quote(q, sizeof q, t);
    return fail(c, "event=: %s is not an event name (F_TRANSLATION, C_BAD_STE, ...)", q);
}

static int parse_result(ctx_t *c, tok_t t, smmu_trace_txn_t *x) {
    char q[128];
    size_t eq = 0;
    while (eq < t.len && t.p[eq] != '=')
        eq++;
    if (eq == t.len) {
        quote(q, sizeof q, t);
        return fail(c, "extra column %s (result fields are key=value)", q);
    }
    tok_t key = {t.p, eq}, val = {t.p + eq + 1, t.len - eq - 1};
    static const char *const keys[] = {"status", "pa", "event", "lat", "hit", "miss", "reads"};
    unsigned k;
    for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
        if (tok_is(key, keys[k])) break;
    if (k == sizeof(keys) / sizeof(keys[0])) {
        quote(q, sizeof q, key);
        return fail(c, "unknown result field %s (status, pa, event, lat, hit, miss, reads)", q);
    }
    if (x->has & (1u << k)) return fail(c, "result field %s= given twice", keys[k]);
    x->has |= 1u << k;
    if (val.len == 0) return fail(c, "result field %s= has no value", keys[k]);
    uint64_t v;
    uint32_t bits;
    switch (k) {
    case 0:
        for (unsigned s = 1; s < sizeof(status_names) / sizeof(status_names[0]); s++)
            if (tok_is(val, status_names[s])) {
                x->status = (uint8_t)s;
                return 0;
            }
        quote(q, sizeof q, val);
        return fail(c, "status=: %s is not one of ok, fault, razwi, stall", q);
    case 1:
        if (num_field(c, val, "pa=", UINT64_MAX, &v)) return -1;
        x->pa = v;
        return 0;
    case 2:
        return parse_event(c, val, &x->event);
    case 3:
        if (num_field(c, val, "lat=", UINT64_MAX, &v)) return -1;
        x->lat_ns = v;
        return 0;
    case 4:
    case 5:
        if (name_list(c, val, k == 4 ? "hit=" : "miss=", cache_names, N_CACHES, &bits)) return -1;
        *(k == 4 ? &x->hit : &x->miss) = bits;
        return 0;
    default:
        if (num_field(c, val, "reads=", UINT32_MAX, &v)) return -1;
        x->reads = (uint32_t)v;
        return 0;
    }
}

static int push(smmu_trace_t *t, const smmu_trace_txn_t *x) {
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        if (cap > SIZE_MAX / sizeof(*t->txn)) return -1;
        smmu_trace_txn_t *p = realloc(t->txn, cap * sizeof(*t->txn));
        if (!p) return -1;
        t->txn = p;
        t->cap = cap;
    }
    t->txn[t->n++] = *x;
    return 0;
}

/* Copies the rest of the line after a header keyword (blanks around it trimmed). */
static int header_text(ctx_t *c, const char *p, const char *e, const char *what, char *out,
                       size_t max) {
    while (p < e && is_blank(*p))
        p++;
    if (p == e) return fail(c, "header \"%s\" needs a value", what);
    size_t n = (size_t)(e - p);
    if (n > max) return fail(c, "header \"%s\": longer than %zu bytes", what, max);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)p[i] < 0x20 && p[i] != '\t')
            return fail(c, "header \"%s\": control character 0x%02x in the value", what,
                        (unsigned char)p[i]);
    memcpy(out, p, n);
    out[n] = 0;
    return 0;
}

static int parse_line(ctx_t *c, smmu_trace_t *t, const char *p, const char *e, bool *seen_txn,
                      uint64_t *last_time) {
    /* strip the comment and blanks */
    const char *hash = memchr(p, '#', (size_t)(e - p));
    if (hash) e = hash;
    while (p < e && is_blank(*p))
        p++;
    while (e > p && is_blank(e[-1]))
        e--;
    if (p == e) return 0;
    tok_t tok[16];
    unsigned nt = 0;
    const char *s = p;
    while (s < e) {
        while (s < e && is_blank(*s))
            s++;
        if (s == e) break;
        const char *b = s;
        while (s < e && !is_blank(*s))
            s++;
        if (nt == 16) return fail(c, "too many columns (at most 7 and the result fields)");
        tok[nt].p = b;
        tok[nt].len = (size_t)(s - b);
        nt++;
    }
    char q[128];
    if (!t->version) {
        if (!tok_is(tok[0], "smmu-trace"))
            return fail(c, "expected the version line \"smmu-trace %d\" first", SMMU_TRACE_VERSION);
        uint64_t v;
        if (nt != 2 || !parse_u64(tok[1], &v))
            return fail(c, "version line: expected \"smmu-trace %d\"", SMMU_TRACE_VERSION);
        if (v != SMMU_TRACE_VERSION)
            return fail(c, "format version %" PRIu64 " is not supported (this reader reads %d)", v,
                        SMMU_TRACE_VERSION);
        t->version = (unsigned)v;
        return 0;
    }
    char first = tok[0].p[0];
    if (!(first >= '0' && first <= '9')) { /* a header line */
        const char *rest = tok[0].p + tok[0].len;
        if (*seen_txn) {
            quote(q, sizeof q, tok[0]);
            return fail(c, "%s: header lines must come before the first transaction", q);
        }
        if (tok_is(tok[0], "name")) {
            if (t->name[0]) return fail(c, "header \"name\" given twice");
            return header_text(c, rest, e, "name", t->name, NAME_MAX_LEN);
        }
        if (tok_is(tok[0], "scenario")) {
            if (t->scenario[0]) return fail(c, "header \"scenario\" given twice");
            return header_text(c, rest, e, "scenario", t->scenario, PATH_MAX_LEN);
        }
        if (tok_is(tok[0], "smmu-trace")) return fail(c, "version line given twice");
        quote(q, sizeof q, tok[0]);
        return fail(c, "unknown header %s (name, scenario) and not a transaction", q);
    }
    if (nt < 7)
        return fail(c, "%u columns, a transaction has 7: time sid ssid address size dir flags", nt);
    smmu_trace_txn_t x;
    memset(&x, 0, sizeof x);
    x.line = c->line;
    uint64_t v;
    if (num_field(c, tok[0], "column 1 (time)", UINT64_MAX, &x.time_ns)) return -1;
    if (*seen_txn && x.time_ns < *last_time)
        return fail(c, "column 1 (time): %" PRIu64 " is before the previous transaction's %" PRIu64,
                    x.time_ns, *last_time);
    if (num_field(c, tok[1], "column 2 (sid)", UINT32_MAX, &v)) return -1;
    x.sid = (uint32_t)v;
    if (!tok_is(tok[2], "-")) {
        if (num_field(c, tok[2], "column 3 (ssid)", (1u << 20) - 1, &v)) return -1;
        x.ssid = (uint32_t)v;
        x.ssv = true;
    }
    if (num_field(c, tok[3], "column 4 (address)", UINT64_MAX, &x.addr)) return -1;
    if (num_field(c, tok[4], "column 5 (size)", UINT32_MAX, &v)) return -1;
    if (v == 0) return fail(c, "column 5 (size): must not be 0");
    x.size = (uint32_t)v;
    if (tok_is(tok[5], "R") || tok_is(tok[5], "r"))
        x.write = false;
    else if (tok_is(tok[5], "W") || tok_is(tok[5], "w"))
        x.write = true;
    else {
        quote(q, sizeof q, tok[5]);
        return fail(c, "column 6 (dir): %s is not R or W", q);
    }
    if (name_list(c, tok[6], "column 7 (flags)", flag_names, N_FLAGS, &x.flags)) return -1;
    for (unsigned i = 7; i < nt; i++)
        if (parse_result(c, tok[i], &x)) return -1;
    if (push(t, &x)) return fail(c, "out of memory");
    *seen_txn = true;
    *last_time = x.time_ns;
    return 0;
}

int smmu_trace_parse_buffer(const char *buf, size_t len, const char *name, smmu_trace_t **out,
                            smmu_trace_error_t *err) {
    ctx_t c = {name ? name : "<buffer>", 0, err};
    if (err) {
        err->line = 0;
        err->msg[0] = 0;
    }
    if (!out) return fail(&c, "no output pointer");
    *out = NULL;
    if (!buf && len) return fail(&c, "no buffer");
    smmu_trace_t *t = calloc(1, sizeof *t);
    if (!t) return fail(&c, "out of memory");
    const char *p = buf, *end = buf + len;
    bool seen = false;
    uint64_t last = 0;
    while (p && p < end) {
        c.line++;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        if (memchr(p, '\0', (size_t)(e - p))) {
            fail(&c, "NUL byte in the line (not a text file?)");
            smmu_trace_free(t);
            return -1;
        }
        if (parse_line(&c, t, p, e, &seen, &last)) {
            smmu_trace_free(t);
            return -1;
        }
        p = nl ? nl + 1 : end;
    }
    if (!t->version) {
        c.line = 0;
        fail(&c, "empty trace: no \"smmu-trace %d\" version line", SMMU_TRACE_VERSION);
        smmu_trace_free(t);
        return -1;
    }
    *out = t;
    return 0;
}

int smmu_trace_load(const char *path, smmu_trace_t **out, smmu_trace_error_t *err) {
    ctx_t c = {path ? path : "<null>", 0, err};
    if (out) *out = NULL;
    if (!path) return fail(&c, "no file name");
    FILE *f = fopen(path, "rb");
    if (!f) return fail(&c, "cannot open: %s", strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (cap - len < 65536) {
            size_t ncap = cap ? cap * 2 : 65536;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                free(buf);
                fclose(f);
                return fail(&c, "out of memory");
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) break;
    }
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad) {
        free(buf);
        return fail(&c, "read error");
    }
    int r = smmu_trace_parse_buffer(buf, len, path, out, err);
    free(buf);
    return r;
}

void smmu_trace_free(smmu_trace_t *t) {
    if (!t) return;
    free(t->txn);
    free(t);
}

unsigned smmu_trace_version(const smmu_trace_t *t) {
    return t ? t->version : 0;
}
const char *smmu_trace_name(const smmu_trace_t *t) {
    return t ? t->name : "";
}
const char *smmu_trace_scenario(const smmu_trace_t *t) {
    return t ? t->scenario : "";
}
size_t smmu_trace_count(const smmu_trace_t *t) {
    return t ? t->n : 0;
}
const smmu_trace_txn_t *smmu_trace_get(const smmu_trace_t *t, size_t i) {
    return t && i < t->n ? &t->txn[i] : NULL;
}

int smmu_trace_scenario_path(const smmu_trace_t *t, const char *trace_path, char *buf, size_t len) {
    if (!t || !t->scenario[0] || !buf || !len) return -1;
    const char *sc = t->scenario;
    size_t dir = 0;
    if (sc[0] != '/' && trace_path) {
        const char *slash = strrchr(trace_path, '/');
        if (slash) dir = (size_t)(slash - trace_path) + 1;
    }
    size_t n = strlen(sc);
    if (dir + n + 1 > len) return -1;
    memcpy(buf, trace_path ? trace_path : "", dir);
    memcpy(buf + dir, sc, n + 1);
    return 0;
}

/* ------------------------------------------------------------------ writing */

int smmu_trace_write_header(FILE *f, const char *name, const char *scenario) {
    if (!f) return -1;
    if ((name && strpbrk(name, "\r\n#")) || (scenario && strpbrk(scenario, "\r\n#"))) return -1;
    if (fprintf(f, "smmu-trace %d\n", SMMU_TRACE_VERSION) < 0) return -1;
    if (name && name[0] && fprintf(f, "name %s\n", name) < 0) return -1;
    if (scenario && scenario[0] && fprintf(f, "scenario %s\n", scenario) < 0) return -1;
    if (fprintf(f, "# time_ns sid ssid address size dir flags [status pa event lat hit miss "
                   "reads]\n") < 0)
        return -1;
    return 0;
}

/* Appends with snprintf semantics: *o counts what is needed even past len. */
static void app(char *buf, size_t len, size_t *o, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void app(char *buf, size_t len, size_t *o, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(*o < len ? buf + *o : NULL, *o < len ? len - *o : 0, fmt, ap);
    va_end(ap);
    if (n > 0) *o += (size_t)n;
}

static void app_list(char *buf, size_t len, size_t *o, const char *key, uint32_t bits,
                     const char *const *names, unsigned n) {
    app(buf, len, o, " %s", key);
    if (!bits) {
        app(buf, len, o, "-");
        return;
    }
    bool first = true;
    for (unsigned i = 0; i < n; i++)
        if (bits & (1u << i)) {
            app(buf, len, o, "%s%s", first ? "" : ",", names[i]);
            first = false;
        }
}

int smmu_trace_format_txn(char *buf, size_t len, const smmu_trace_txn_t *t) {
    if (!t || t->size == 0 || (t->ssv && t->ssid >= (1u << 20)) || (t->flags >> N_FLAGS) ||
        ((t->has & SMMU_TRACE_HAS_HIT) && (t->hit >> N_CACHES)) ||
        ((t->has & SMMU_TRACE_HAS_MISS) && (t->miss >> N_CACHES)) ||
        ((t->has & SMMU_TRACE_HAS_STATUS) &&
         (t->status == SMMU_TRACE_ST_NONE || t->status > SMMU_TRACE_ST_STALL)))
        return -1;
    if (buf && len) buf[0] = 0;
    size_t o = 0;
    app(buf, len, &o, "%" PRIu64 " 0x%" PRIx32, t->time_ns, t->sid);
    if (t->ssv)
        app(buf, len, &o, " %" PRIu32, t->ssid);
    else
        app(buf, len, &o, " -");
    app(buf, len, &o, " 0x%" PRIx64 " %" PRIu32 " %c ", t->addr, t->size, t->write ? 'W' : 'R');
    if (!t->flags) app(buf, len, &o, "-");
    bool first = true;
    for (unsigned i = 0; i < N_FLAGS; i++)
        if (t->flags & (1u << i)) {
            app(buf, len, &o, "%s%s", first ? "" : ",", flag_names[i]);
            first = false;
        }
    if (t->has & SMMU_TRACE_HAS_STATUS) app(buf, len, &o, " status=%s", status_names[t->status]);
    if (t->has & SMMU_TRACE_HAS_PA) app(buf, len, &o, " pa=0x%" PRIx64, t->pa);
    if (t->has & SMMU_TRACE_HAS_EVENT) {
        const char *n = smmu_event_name(t->event);
        if (t->event && n && strcmp(n, "UNKNOWN") != 0)
            app(buf, len, &o, " event=%s", n);
        else
            app(buf, len, &o, " event=0x%" PRIx32, t->event & 0xFF);
    }
    if (t->has & SMMU_TRACE_HAS_LAT) app(buf, len, &o, " lat=%" PRIu64, t->lat_ns);
    if (t->has & SMMU_TRACE_HAS_HIT) app_list(buf, len, &o, "hit=", t->hit, cache_names, N_CACHES);
    if (t->has & SMMU_TRACE_HAS_MISS)
        app_list(buf, len, &o, "miss=", t->miss, cache_names, N_CACHES);
    if (t->has & SMMU_TRACE_HAS_READS) app(buf, len, &o, " reads=%" PRIu32, t->reads);
    return o > INT32_MAX ? -1 : (int)o;
}

int smmu_trace_write_txn(FILE *f, const smmu_trace_txn_t *t) {
    char line[512];
    int n = smmu_trace_format_txn(line, sizeof line, t);
    if (n < 0 || (size_t)n >= sizeof line || !f) return -1;
    line[n] = '\n';
    return fwrite(line, 1, (size_t)n + 1, f) == (size_t)n + 1 ? 0 : -1;
}
