#ifndef INSPECTOR_CCURL_H
#define INSPECTOR_CCURL_H
#include <curl/curl.h>
#endif
