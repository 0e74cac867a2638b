#ifndef INSPECTOR_CMALLOC_H
#define INSPECTOR_CMALLOC_H
/* glibc's malloc_trim, which Swift's Glibc module does not export. */
#include <malloc.h>
#endif
