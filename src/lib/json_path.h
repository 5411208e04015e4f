/* json_path.h — following a column's path into a JSON record: dotted keys,
 * array positions, and elements selected by a key's value. */
#ifndef SLAW_JSON_PATH_H
#define SLAW_JSON_PATH_H

#include <stdbool.h>
#include <stddef.h>

struct cJSON;

typedef enum {
    JSON_PATH_FOUND,    /* value is what the path names */
    JSON_PATH_ABSENT,   /* a key or position is not there */
    JSON_PATH_NO_MATCH, /* a selector matched no element (detail says which) */
    JSON_PATH_SEVERAL,  /* a selector matched more than one element */
} json_path_result;

typedef struct json_path_hit {
    json_path_result result;
    const struct cJSON *value; /* JSON_PATH_FOUND: the value, else NULL */
    char detail[256];          /* NO_MATCH, SEVERAL: what the selector saw */
} json_path_hit;

/* Whether path holds a selector, NAME[KEY=VALUE] or NAME[KEY~=VALUE]. */
bool json_path_has_selector(const char *path);

/* Checks the syntax of path's selectors; false with a reason in why. */
bool json_path_check(const char *path, char *why, size_t size);

/* Follows path from rec: components separated by '.', a number indexing an
 * array, NAME[KEY=VALUE] the one element of NAME (an array or object) whose
 * KEY equals VALUE, or whose KEY is a list holding VALUE; with '~=' a
 * string containing VALUE does. */
void json_path_lookup(const struct cJSON *rec, const char *path, json_path_hit *hit);

#endif
