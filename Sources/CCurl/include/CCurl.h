#ifndef INSPECTOR_CCURL_H
#define INSPECTOR_CCURL_H
/* libcurl (Debian's libcurl4-openssl-dev headers, the libcurl4 run-time package), opened on first
   use. The binary does not link libcurl: the curl_* functions Swift calls are defined in
   curl_library.c and forward to the library once it is loaded. Until it loads, or if it cannot be,
   they fail as libcurl itself would: NULL handles and CURLE_FAILED_INIT. */
#include <curl/curl.h>

/* Why libcurl cannot be used (dlopen's message), or NULL once it is loaded. Loads it if need be. */
const char *inspector_curl_unavailable(void);

/* CURLVERSION_NOW is a macro Swift cannot import. */
curl_version_info_data *inspector_curl_version_info(void);

/* curl_easy_setopt and curl_easy_getinfo are variadic: Swift needs one typed wrapper per kind. */
CURLcode inspector_setopt_long(CURL *curl, CURLoption option, long value);
CURLcode inspector_setopt_string(CURL *curl, CURLoption option, const char *value);
CURLcode inspector_setopt_pointer(CURL *curl, CURLoption option, void *value);
typedef size_t (*inspector_write_callback)(char *data, size_t size, size_t count, void *context);
CURLcode inspector_setopt_write(CURL *curl, CURLoption option, inspector_write_callback callback);
CURLcode inspector_getinfo_long(CURL *curl, CURLINFO info, long *value);
CURLcode inspector_getinfo_offset(CURL *curl, CURLINFO info, curl_off_t *value);
CURLcode inspector_getinfo_string(CURL *curl, CURLINFO info, char **value);
CURLcode inspector_getinfo_certinfo(CURL *curl, struct curl_certinfo **value);
CURLcode inspector_getinfo_pointer(CURL *curl, CURLINFO info, void **value);
#endif
