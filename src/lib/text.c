/* text.c — owned copies of strings. */
#include "text.h"

#include <stdlib.h>
#include <string.h>

char *text_copy(const char *s)
{
    return s ? strdup(s) : NULL;
}
