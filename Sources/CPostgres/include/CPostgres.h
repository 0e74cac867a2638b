#ifndef INSPECTOR_CPOSTGRES_H
#define INSPECTOR_CPOSTGRES_H
/* libpq (Debian's libpq-dev headers, the libpq5 run-time package): the fleet history's connection
   to PostgreSQL, opened on first use. The binary does not link libpq: the PQ* functions Swift calls
   are defined in libpq_library.c and forward to the library once it is loaded. Until it loads, or
   if it cannot be, they fail as libpq does given no connection. */
#include <postgresql/libpq-fe.h>

/* Why libpq cannot be used (dlopen's message), or NULL once it is loaded. Loads it if need be. */
const char *inspector_libpq_unavailable(void);
#endif
