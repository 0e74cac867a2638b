#ifndef INSPECTOR_CCURL_H
#define INSPECTOR_CCURL_H
#include <curl/curl.h>

/* CURLVERSION_NOW is a macro Swift cannot import. */
static inline curl_version_info_data *inspector_curl_version_info(void) {
    return curl_version_info(CURLVERSION_NOW);
}

/* curl_easy_setopt and curl_easy_getinfo are variadic: Swift needs one typed wrapper per kind. */
static inline CURLcode inspector_setopt_long(CURL *curl, CURLoption option, long value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode inspector_setopt_string(CURL *curl, CURLoption option, const char *value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode inspector_setopt_pointer(CURL *curl, CURLoption option, void *value) {
    return curl_easy_setopt(curl, option, value);
}
typedef size_t (*inspector_write_callback)(char *data, size_t size, size_t count, void *context);
static inline CURLcode inspector_setopt_write(CURL *curl, CURLoption option, inspector_write_callback callback) {
    return curl_easy_setopt(curl, option, callback);
}
static inline CURLcode inspector_getinfo_long(CURL *curl, CURLINFO info, long *value) {
    return curl_easy_getinfo(curl, info, value);
}
static inline CURLcode inspector_getinfo_offset(CURL *curl, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(curl, info, value);
}
static inline CURLcode inspector_getinfo_string(CURL *curl, CURLINFO info, char **value) {
    return curl_easy_getinfo(curl, info, value);
}
static inline CURLcode inspector_getinfo_certinfo(CURL *curl, struct curl_certinfo **value) {
    return curl_easy_getinfo(curl, CURLINFO_CERTINFO, value);
}
static inline CURLcode inspector_getinfo_pointer(CURL *curl, CURLINFO info, void **value) {
    return curl_easy_getinfo(curl, info, value);
}
#endif
