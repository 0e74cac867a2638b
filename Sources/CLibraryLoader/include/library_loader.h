#ifndef INSPECTOR_LIBRARY_LOADER_H
#define INSPECTOR_LIBRARY_LOADER_H
#include <pthread.h>

/* A shared library opened on first use (dlopen) rather than at start-up (DT_NEEDED).
   libcurl and libpq pull in some thirty libraries between them (GnuTLS, Kerberos, LDAP, SASL,
   libssh2...), about 3.5 MB resident; a daemon that checks no URL, sends no mail and forwards
   to no PostgreSQL never maps any of them. */
struct inspector_library {
    const char *soname;              /* "libcurl.so.4": the run-time package's name for it */
    const char *const *symbols;      /* the functions to bind, NULL-terminated */
    void **slots;                    /* one per symbol, filled when the library is ready */
    pthread_mutex_t lock;
    int state;                       /* 0 not tried, 1 ready, -1 failed; read atomically */
    char error[320];
};

#define INSPECTOR_LIBRARY(soname_, symbols_, slots_) \
    { (soname_), (symbols_), (void **)(slots_), PTHREAD_MUTEX_INITIALIZER, 0, {0} }

/* Opens the library and binds every symbol, once; nonzero when all of them are there. */
int inspector_library_ready(struct inspector_library *library);

/* Why the library is not ready ("libcurl.so.4: cannot open shared object file..."), or NULL. */
const char *inspector_library_error(struct inspector_library *library);

#endif
