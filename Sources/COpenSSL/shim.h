#ifndef INSPECTOR_COPENSSL_H
#define INSPECTOR_COPENSSL_H
/* HMAC-SHA256 for DingTalk's signed robot URLs, from Debian's libcrypto (OpenSSL 3). */
#include <openssl/hmac.h>
#include <openssl/evp.h>
#endif
