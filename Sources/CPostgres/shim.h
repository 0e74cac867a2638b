#ifndef INSPECTOR_CPOSTGRES_H
#define INSPECTOR_CPOSTGRES_H
/* libpq from Debian's libpq-dev: the fleet history's connection to PostgreSQL. */
#include <libpq-fe.h>
#endif
