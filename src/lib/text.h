/* text.h — owned copies of strings (text.c). */
#ifndef SLAW_TEXT_H
#define SLAW_TEXT_H

#include <stddef.h>

/* A copy of s that the caller frees; NULL when s is NULL or out of memory. */
char *text_copy(const char *s);

#endif /* SLAW_TEXT_H */
