/* Every curl_* function this binary calls, forwarding to libcurl.so.4 opened on first use: ours
   (HTTP checks, mail, robots) and those of Foundation's URLSession, which FlyingFox's proxy handler
   links in unused. With all of them defined here the linker needs nothing from libcurl.so, and
   the binary does not list it (--as-needed). Hidden: they serve this binary only and never
   interpose on libcurl's own symbols. */
#define CURL_DISABLE_TYPECHECK   /* curl_easy_setopt stays a function, not a checking macro */
#pragma GCC visibility push(hidden)
#include "CCurl.h"
#pragma GCC visibility pop
#include "library_loader.h"
#include <stdarg.h>

#define FUNCTIONS(X) \
    X(curl_global_init) X(curl_version_info) X(curl_version) X(curl_free) X(curl_easy_init) X(curl_easy_cleanup) \
    X(curl_easy_perform) X(curl_easy_setopt) X(curl_easy_getinfo) X(curl_easy_strerror) X(curl_easy_pause) \
    X(curl_slist_append) X(curl_slist_free_all) X(curl_multi_init) X(curl_multi_cleanup) X(curl_multi_setopt) \
    X(curl_multi_add_handle) X(curl_multi_remove_handle) X(curl_multi_perform) X(curl_multi_poll) \
    X(curl_multi_wakeup) X(curl_multi_info_read) X(curl_multi_assign) X(curl_multi_socket_action) \
    X(curl_url) X(curl_url_get) X(curl_url_set)
#define INDEX(f) INDEX_##f,
#define NAME(f) #f,
enum { FUNCTIONS(INDEX) FUNCTION_COUNT };
static const char *const names[] = { FUNCTIONS(NAME) NULL };
static void *slots[FUNCTION_COUNT];
static struct inspector_library libcurl = INSPECTOR_LIBRARY("libcurl.so.4", names, slots);

#define READY inspector_library_ready(&libcurl)
#define BOUND(f) ((__typeof__(&f))slots[INDEX_##f])

const char *inspector_curl_unavailable(void) { return inspector_library_error(&libcurl); }

CURLcode curl_global_init(long flags) { return READY ? BOUND(curl_global_init)(flags) : CURLE_FAILED_INIT; }
curl_version_info_data *curl_version_info(CURLversion age) { return READY ? BOUND(curl_version_info)(age) : NULL; }
curl_version_info_data *inspector_curl_version_info(void) { return curl_version_info(CURLVERSION_NOW); }
char *curl_version(void) { return READY ? BOUND(curl_version)() : (char *)"libcurl not loaded"; }
void curl_free(void *p) { if (READY) BOUND(curl_free)(p); }

CURL *curl_easy_init(void) { return READY ? BOUND(curl_easy_init)() : NULL; }
void curl_easy_cleanup(CURL *curl) { if (READY) BOUND(curl_easy_cleanup)(curl); }
CURLcode curl_easy_perform(CURL *curl) { return READY ? BOUND(curl_easy_perform)(curl) : CURLE_FAILED_INIT; }
const char *curl_easy_strerror(CURLcode code) {
    return READY ? BOUND(curl_easy_strerror)(code) : inspector_curl_unavailable();
}
CURLcode curl_easy_pause(CURL *curl, int bitmask) { return READY ? BOUND(curl_easy_pause)(curl, bitmask) : CURLE_FAILED_INIT; }

/* The variadic setters take exactly one argument, whose type the option number encodes
   (CURLOPTTYPE_*, the same ranges for easy and multi options): read it as that type, pass it on. */
#define FORWARD_OPTION(f, handle, option, ap) \
    ((option) < CURLOPTTYPE_OBJECTPOINT ? BOUND(f)(handle, option, va_arg(ap, long)) \
     : (option) < CURLOPTTYPE_FUNCTIONPOINT ? BOUND(f)(handle, option, va_arg(ap, void *)) \
     : (option) < CURLOPTTYPE_OFF_T ? BOUND(f)(handle, option, va_arg(ap, void (*)(void))) \
     : (option) < CURLOPTTYPE_BLOB ? BOUND(f)(handle, option, va_arg(ap, curl_off_t)) \
     : BOUND(f)(handle, option, va_arg(ap, void *)))

CURLcode curl_easy_setopt(CURL *curl, CURLoption option, ...) {
    if (!READY) return CURLE_FAILED_INIT;
    va_list ap;
    va_start(ap, option);
    CURLcode code = FORWARD_OPTION(curl_easy_setopt, curl, option, ap);
    va_end(ap);
    return code;
}
CURLMcode curl_multi_setopt(CURLM *multi, CURLMoption option, ...) {
    if (!READY) return CURLM_INTERNAL_ERROR;
    va_list ap;
    va_start(ap, option);
    CURLMcode code = FORWARD_OPTION(curl_multi_setopt, multi, option, ap);
    va_end(ap);
    return code;
}
/* Every CURLINFO takes a pointer to where the answer goes. */
CURLcode curl_easy_getinfo(CURL *curl, CURLINFO info, ...) {
    if (!READY) return CURLE_FAILED_INIT;
    va_list ap;
    va_start(ap, info);
    CURLcode code = BOUND(curl_easy_getinfo)(curl, info, va_arg(ap, void *));
    va_end(ap);
    return code;
}

struct curl_slist *curl_slist_append(struct curl_slist *list, const char *text) {
    return READY ? BOUND(curl_slist_append)(list, text) : NULL;
}
void curl_slist_free_all(struct curl_slist *list) { if (READY) BOUND(curl_slist_free_all)(list); }

CURLM *curl_multi_init(void) { return READY ? BOUND(curl_multi_init)() : NULL; }
CURLMcode curl_multi_cleanup(CURLM *multi) { return READY ? BOUND(curl_multi_cleanup)(multi) : CURLM_INTERNAL_ERROR; }
CURLMcode curl_multi_add_handle(CURLM *multi, CURL *curl) {
    return READY ? BOUND(curl_multi_add_handle)(multi, curl) : CURLM_INTERNAL_ERROR;
}
CURLMcode curl_multi_remove_handle(CURLM *multi, CURL *curl) {
    return READY ? BOUND(curl_multi_remove_handle)(multi, curl) : CURLM_INTERNAL_ERROR;
}
CURLMcode curl_multi_perform(CURLM *multi, int *running) {
    return READY ? BOUND(curl_multi_perform)(multi, running) : CURLM_INTERNAL_ERROR;
}
CURLMcode curl_multi_poll(CURLM *multi, struct curl_waitfd extra[], unsigned int count, int timeout, int *ready) {
    return READY ? BOUND(curl_multi_poll)(multi, extra, count, timeout, ready) : CURLM_INTERNAL_ERROR;
}
CURLMcode curl_multi_wakeup(CURLM *multi) { return READY ? BOUND(curl_multi_wakeup)(multi) : CURLM_INTERNAL_ERROR; }
CURLMsg *curl_multi_info_read(CURLM *multi, int *left) { return READY ? BOUND(curl_multi_info_read)(multi, left) : NULL; }
CURLMcode curl_multi_assign(CURLM *multi, curl_socket_t socket, void *context) {
    return READY ? BOUND(curl_multi_assign)(multi, socket, context) : CURLM_INTERNAL_ERROR;
}
CURLMcode curl_multi_socket_action(CURLM *multi, curl_socket_t socket, int events, int *running) {
    return READY ? BOUND(curl_multi_socket_action)(multi, socket, events, running) : CURLM_INTERNAL_ERROR;
}

CURLU *curl_url(void) { return READY ? BOUND(curl_url)() : NULL; }
CURLUcode curl_url_get(CURLU *url, CURLUPart what, char **part, unsigned int flags) {
    return READY ? BOUND(curl_url_get)(url, what, part, flags) : CURLUE_OUT_OF_MEMORY;
}
CURLUcode curl_url_set(CURLU *url, CURLUPart what, const char *part, unsigned int flags) {
    return READY ? BOUND(curl_url_set)(url, what, part, flags) : CURLUE_OUT_OF_MEMORY;
}

/* Swift cannot call a variadic function: one typed wrapper per argument kind. */
CURLcode inspector_setopt_long(CURL *curl, CURLoption option, long value) { return curl_easy_setopt(curl, option, value); }
CURLcode inspector_setopt_string(CURL *curl, CURLoption option, const char *value) {
    return curl_easy_setopt(curl, option, value);
}
CURLcode inspector_setopt_pointer(CURL *curl, CURLoption option, void *value) { return curl_easy_setopt(curl, option, value); }
CURLcode inspector_setopt_write(CURL *curl, CURLoption option, inspector_write_callback callback) {
    return curl_easy_setopt(curl, option, callback);
}
CURLcode inspector_getinfo_long(CURL *curl, CURLINFO info, long *value) { return curl_easy_getinfo(curl, info, value); }
CURLcode inspector_getinfo_offset(CURL *curl, CURLINFO info, curl_off_t *value) { return curl_easy_getinfo(curl, info, value); }
CURLcode inspector_getinfo_string(CURL *curl, CURLINFO info, char **value) { return curl_easy_getinfo(curl, info, value); }
CURLcode inspector_getinfo_certinfo(CURL *curl, struct curl_certinfo **value) {
    return curl_easy_getinfo(curl, CURLINFO_CERTINFO, value);
}
CURLcode inspector_getinfo_pointer(CURL *curl, CURLINFO info, void **value) { return curl_easy_getinfo(curl, info, value); }
