/* json_path.c — following a column's path into a JSON record.  Nested
 * results come as arrays of objects ("results": [{"name": "c4_val",
 * "loss": 3.1}, ...]) whose order differs from run to run, so an element
 * can be chosen by a key's value: results[name=c4_val].loss. */
#include "json_path.h"
#include "error.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

typedef struct component {
    const char *name; /* the key or position */
    size_t name_len;
    bool has_selector;
    bool contains;   /* '~=': a string containing value matches */
    const char *key; /* the selector's key (a dotted path within the element) */
    size_t key_len;
    const char *value;
    size_t value_len;
    const char *next; /* the rest of the path, NULL after the last component */
} component;

/* Splits the component at p: NAME or NAME[KEY=VALUE] or NAME[KEY~=VALUE],
 * then '.' or the end.  False when it is malformed. */
static bool next_component(const char *p, component *c)
{
    memset(c, 0, sizeof *c);
    c->name = p;
    while (*p && *p != '.' && *p != '[') p++;
    c->name_len = (size_t)(p - c->name);
    if (*p == '[') {
        const char *in = p + 1, *close = strchr(in, ']');
        if (!close) return false;
        const char *eq = memchr(in, '=', (size_t)(close - in));
        if (!eq) return false;
        c->contains = eq > in && eq[-1] == '~';
        c->key = in;
        c->key_len = (size_t)(eq - in) - c->contains;
        c->value = eq + 1;
        c->value_len = (size_t)(close - c->value);
        if (!c->key_len || !c->value_len) return false;
        c->has_selector = true;
        p = close + 1;
        if (*p && *p != '.') return false;
    }
    c->next = *p == '.' ? p + 1 : NULL;
    return c->name_len && !(c->next && !*c->next);
}

bool json_path_has_selector(const char *path)
{
    return strchr(path, '[') != NULL;
}

bool json_path_check(const char *path, char *why, size_t size)
{
    component c;
    for (const char *p = path; p; p = c.next)
        if (!next_component(p, &c)) {
            snprintf(why, size,
                     "a selector is written NAME[KEY=VALUE] or NAME[KEY~=VALUE], "
                     "followed by '.' or the end");
            return false;
        }
    return true;
}

/* The member name[0..len) of an object, or the element at that position
 * of an array. */
static const cJSON *child(const cJSON *v, const char *name, size_t len)
{
    if (cJSON_IsArray(v)) {
        size_t i = 0;
        for (size_t k = 0; k < len; k++) {
            if (name[k] < '0' || name[k] > '9' || i > 100000000) return NULL;
            i = i * 10 + (size_t)(name[k] - '0');
        }
        for (const cJSON *e = v->child; e; e = e->next)
            if (!i--) return e;
        return NULL;
    }
    if (!cJSON_IsObject(v)) return NULL;
    for (const cJSON *m = v->child; m; m = m->next)
        if (m->string && strlen(m->string) == len && !memcmp(m->string, name, len)) return m;
    return NULL;
}

/* Whether the selector's key value kv matches: equal (or, with '~=', a
 * string containing the value), or a list with such an element. */
static bool matches(const cJSON *kv, const component *c)
{
    if (cJSON_IsArray(kv)) {
        for (const cJSON *e = kv->child; e; e = e->next)
            if (!cJSON_IsArray(e) && matches(e, c)) return true;
        return false;
    }
    if (cJSON_IsString(kv)) {
        const char *s = kv->valuestring;
        size_t n = strlen(s);
        if (!c->contains) return n == c->value_len && !memcmp(s, c->value, n);
        for (size_t i = 0; i + c->value_len <= n; i++)
            if (!memcmp(s + i, c->value, c->value_len)) return true;
        return false;
    }
    if (c->contains) return false;
    if (cJSON_IsNumber(kv)) {
        double want;
        const char *why;
        return slaw_number_parse(c->value, c->value_len, &want, &why) == SLAW_OK &&
               want == kv->valuedouble;
    }
    if (cJSON_IsBool(kv)) {
        const char *b = cJSON_IsTrue(kv) ? "true" : "false";
        return strlen(b) == c->value_len && !memcmp(b, c->value, c->value_len);
    }
    return false;
}

/* Appends kv's scalar values to out (for "no element has ..." messages). */
static void append_values(const cJSON *kv, char *out, size_t size)
{
    size_t o = strlen(out);
    if (o + 8 >= size) return;
    if (cJSON_IsArray(kv)) {
        for (const cJSON *e = kv->child; e; e = e->next) append_values(e, out, size);
        return;
    }
    char q[64];
    int n;
    if (cJSON_IsString(kv))
        n = snprintf(out + o, size - o, "%s'%s'", o ? ", " : "",
                     quote_text(kv->valuestring, strlen(kv->valuestring), q, sizeof q));
    else if (cJSON_IsNumber(kv))
        n = snprintf(out + o, size - o, "%s%.15g", o ? ", " : "", kv->valuedouble);
    else if (cJSON_IsBool(kv))
        n = snprintf(out + o, size - o, "%s%s", o ? ", " : "", cJSON_IsTrue(kv) ? "true" : "false");
    else return;
    if (n < 0 || (size_t)n >= size - o) snprintf(out + o, size - o, ", ...");
}

/* The element of v chosen by c's selector, or NULL with hit saying why. */
static const cJSON *select_element(const cJSON *v, const component *c, json_path_hit *hit)
{
    char key[256], seen[160] = "";
    if (!cJSON_IsArray(v) && !cJSON_IsObject(v)) return NULL;
    if (c->key_len >= sizeof key) return NULL;
    memcpy(key, c->key, c->key_len);
    key[c->key_len] = '\0';
    const cJSON *found = NULL, *second = NULL;
    int index = 0, found_at = -1, second_at = -1;
    for (const cJSON *e = v->child; e; e = e->next, index++) {
        json_path_hit kh;
        json_path_lookup(e, key, &kh);
        if (kh.result != JSON_PATH_FOUND) continue;
        if (!matches(kh.value, c)) {
            append_values(kh.value, seen, sizeof seen);
            continue;
        }
        if (found) {
            second = e;
            second_at = index;
            break;
        }
        found = e;
        found_at = index;
    }
    const char *op = c->contains ? "~=" : "=";
    int nl = (int)c->name_len, kl = (int)c->key_len, vl = (int)c->value_len;
    if (second && cJSON_IsArray(v)) {
        hit->result = JSON_PATH_SEVERAL;
        snprintf(hit->detail, sizeof hit->detail,
                 "elements %d and %d of '%.*s' both have %.*s%s%.*s (a selector must pick one)",
                 found_at, second_at, nl, c->name, kl, c->key, op, vl, c->value);
        return NULL;
    }
    if (second) {
        hit->result = JSON_PATH_SEVERAL;
        snprintf(hit->detail, sizeof hit->detail,
                 "members '%s' and '%s' of '%.*s' both have %.*s%s%.*s (a selector must pick one)",
                 found->string, second->string, nl, c->name, kl, c->key, op, vl, c->value);
        return NULL;
    }
    if (!found) {
        hit->result = JSON_PATH_NO_MATCH;
        if (seen[0])
            snprintf(hit->detail, sizeof hit->detail,
                     "no element of '%.*s' has %.*s%s%.*s "
                     "(%.*s: %s)",
                     nl, c->name, kl, c->key, op, vl, c->value, kl, c->key, seen);
        else
            snprintf(hit->detail, sizeof hit->detail,
                     "no element of '%.*s' has %.*s%s%.*s "
                     "(none has the key '%.*s')",
                     nl, c->name, kl, c->key, op, vl, c->value, kl, c->key);
        return NULL;
    }
    return found;
}

void json_path_lookup(const cJSON *rec, const char *path, json_path_hit *hit)
{
    const cJSON *v = rec;
    component c;
    hit->result = JSON_PATH_ABSENT;
    hit->value = NULL;
    hit->detail[0] = '\0';
    for (const char *p = path; p; p = c.next) {
        if (!next_component(p, &c)) return;
        if (!(v = child(v, c.name, c.name_len))) return;
        if (c.has_selector && !(v = select_element(v, &c, hit))) return;
    }
    hit->result = JSON_PATH_FOUND;
    hit->value = v;
}
