/* The PQ* functions the Swift modules call, forwarding to libpq.so.5 opened on first use.
   Hidden: they serve this binary only and never interpose on libpq's own symbols. */
#pragma GCC visibility push(hidden)
#include "CPostgres.h"
#pragma GCC visibility pop
#include "library_loader.h"

#define FUNCTIONS(X) \
    X(PQconnectdbParams) X(PQstatus) X(PQerrorMessage) X(PQfinish) X(PQexec) X(PQexecParams) \
    X(PQresultStatus) X(PQresultErrorMessage) X(PQntuples) X(PQnfields) X(PQgetisnull) X(PQgetvalue) X(PQclear)
#define INDEX(f) INDEX_##f,
#define NAME(f) #f,
enum { FUNCTIONS(INDEX) FUNCTION_COUNT };
static const char *const names[] = { FUNCTIONS(NAME) NULL };
static void *slots[FUNCTION_COUNT];
static struct inspector_library libpq = INSPECTOR_LIBRARY("libpq.so.5", names, slots);

#define READY inspector_library_ready(&libpq)
#define BOUND(f) ((__typeof__(&f))slots[INDEX_##f])

const char *inspector_libpq_unavailable(void) { return inspector_library_error(&libpq); }

PGconn *PQconnectdbParams(const char *const *keywords, const char *const *values, int expand_dbname) {
    return READY ? BOUND(PQconnectdbParams)(keywords, values, expand_dbname) : NULL;
}
ConnStatusType PQstatus(const PGconn *conn) { return READY ? BOUND(PQstatus)(conn) : CONNECTION_BAD; }
char *PQerrorMessage(const PGconn *conn) {
    return READY ? BOUND(PQerrorMessage)(conn) : (char *)inspector_libpq_unavailable();
}
void PQfinish(PGconn *conn) { if (READY) BOUND(PQfinish)(conn); }
PGresult *PQexec(PGconn *conn, const char *query) { return READY ? BOUND(PQexec)(conn, query) : NULL; }
PGresult *PQexecParams(PGconn *conn, const char *command, int count, const Oid *types,
                       const char *const *values, const int *lengths, const int *formats, int resultFormat) {
    return READY ? BOUND(PQexecParams)(conn, command, count, types, values, lengths, formats, resultFormat) : NULL;
}
ExecStatusType PQresultStatus(const PGresult *result) {
    return READY ? BOUND(PQresultStatus)(result) : PGRES_FATAL_ERROR;
}
char *PQresultErrorMessage(const PGresult *result) {
    return READY ? BOUND(PQresultErrorMessage)(result) : (char *)inspector_libpq_unavailable();
}
int PQntuples(const PGresult *result) { return READY ? BOUND(PQntuples)(result) : 0; }
int PQnfields(const PGresult *result) { return READY ? BOUND(PQnfields)(result) : 0; }
int PQgetisnull(const PGresult *result, int row, int field) { return READY ? BOUND(PQgetisnull)(result, row, field) : 1; }
char *PQgetvalue(const PGresult *result, int row, int field) {
    return READY ? BOUND(PQgetvalue)(result, row, field) : (char *)"";
}
void PQclear(PGresult *result) { if (READY) BOUND(PQclear)(result); }
