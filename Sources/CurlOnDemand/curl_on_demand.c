// libcurl, loaded when first called instead of at every start.
//
// FoundationNetworking (URLSession) is linked into glmwb because the MCP SDK's HTTP transport and
// OAuth client use it, and it calls libcurl directly. Linked as a dependency, libcurl.so.4 and its
// 27 libraries (OpenSSL, GnuTLS, Kerberos, LDAP, nghttp2, …) were mapped, relocated and
// initialised by the loader at every start of glmwb: 5 ms, 40% of `glmwb --version`, and as much
// of every run (issue 15). glmwb's own HTTP client is AsyncHTTPClient and its MCP servers speak
// over pipes, so a normal run never calls libcurl at all.
//
// This file defines every libcurl function FoundationNetworking calls. The link prefers these
// definitions to the shared library's (objects come first), and `link/libcurl.so` makes the
// library itself a dependency only if a call is left that they do not cover (a later Foundation
// that calls more of libcurl links it as before, rather than failing). Each function loads the
// real library on its first call (dlopen, once) and forwards to its function of the same name.
//
// Three functions are variadic (`curl_easy_setopt`, `curl_easy_getinfo`, `curl_multi_setopt`):
// each takes exactly one argument after the option, a long, a pointer, a function pointer or a
// curl_off_t. On the 64-bit Linux ABIs (x86-64 SysV, AArch64) all of these travel in one
// integer register or stack slot, so reading it as a pointer and passing it on is exact; libcurl
// reads it back as the type the option names, as it does for any caller. No option takes a
// double. On a 32-bit target a curl_off_t is two slots, so there nothing is defined here and the
// link takes libcurl itself, as before.
//
// The types are declared here, not taken from <curl/curl.h>: the header's prototypes changed
// between releases (curl_url_get's handle became const in 8.x), and only the calling convention
// matters to a forwarder. IntegrationTests/CurlOnDemandTests makes real URLSession requests
// through it.
#if defined(__linux__) && defined(__LP64__)

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "CurlOnDemand.h"

typedef void CURL;
typedef void CURLM;
typedef void CURLU;
typedef void CURLMsg;
typedef void curl_version_info_data;
typedef struct curl_slist curl_slist;
typedef int CURLcode;
typedef int CURLMcode;
typedef int CURLUcode;
typedef int CURLoption;
typedef int CURLMoption;
typedef int CURLINFO;
typedef int CURLUPart;
typedef int CURLversion;
typedef int curl_socket_t;

static void *library;
static pthread_once_t loadOnce = PTHREAD_ONCE_INIT;

static void load(void) {
    library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        // Nothing sensible can be returned in place of a transfer: say why and stop, as the
        // loader did before when the library was missing at start.
        fprintf(stderr, "glmwb: libcurl.so.4 could not be loaded: %s\n", dlerror());
        abort();
    }
}

static void *function(const char *name) {
    pthread_once(&loadOnce, load);
    void *f = dlsym(library, name);
    if (!f) {
        fprintf(stderr, "glmwb: libcurl.so.4 has no function %s\n", name);
        abort();
    }
    return f;
}

int glmwb_curl_loaded(void) {
    return __atomic_load_n(&library, __ATOMIC_ACQUIRE) != NULL;
}

// The real function, looked up on the first call (`fn` is its pointer type). A race between two
// first calls looks it up twice and stores the same value.
#define REAL(name)                                                                                 \
    static fn real;                                                                                \
    fn f = __atomic_load_n(&real, __ATOMIC_ACQUIRE);                                               \
    if (!f) {                                                                                      \
        f = (fn)function(#name);                                                                   \
        __atomic_store_n(&real, f, __ATOMIC_RELEASE);                                              \
    }

#define FORWARD(ret, name, params, args)                                                           \
    ret name params {                                                                              \
        typedef ret(*fn) params;                                                                   \
        REAL(name)                                                                                 \
        return f args;                                                                             \
    }

#define FORWARD_VOID(name, params, args)                                                           \
    void name params {                                                                             \
        typedef void(*fn) params;                                                                  \
        REAL(name)                                                                                 \
        f args;                                                                                    \
    }

// One argument after the option, passed on as it came (see above).
#define FORWARD_VARIADIC(ret, name, handleType, optionType)                                        \
    ret name(handleType *handle, optionType option, ...) {                                         \
        typedef ret (*fn)(handleType *, optionType, ...);                                          \
        REAL(name)                                                                                 \
        va_list ap;                                                                                \
        va_start(ap, option);                                                                      \
        void *argument = va_arg(ap, void *);                                                       \
        va_end(ap);                                                                                \
        return f(handle, option, argument);                                                        \
    }

FORWARD(CURLcode, curl_global_init, (long flags), (flags))
FORWARD(char *, curl_version, (void), ())
FORWARD(curl_version_info_data *, curl_version_info, (CURLversion age), (age))
FORWARD_VOID(curl_free, (void *p), (p))

FORWARD(CURL *, curl_easy_init, (void), ())
FORWARD_VOID(curl_easy_cleanup, (CURL *h), (h))
FORWARD_VARIADIC(CURLcode, curl_easy_setopt, CURL, CURLoption)
FORWARD_VARIADIC(CURLcode, curl_easy_getinfo, CURL, CURLINFO)
FORWARD(CURLcode, curl_easy_pause, (CURL *h, int bitmask), (h, bitmask))
FORWARD(const char *, curl_easy_strerror, (CURLcode code), (code))

FORWARD(CURLM *, curl_multi_init, (void), ())
FORWARD(CURLMcode, curl_multi_cleanup, (CURLM *m), (m))
FORWARD_VARIADIC(CURLMcode, curl_multi_setopt, CURLM, CURLMoption)
FORWARD(CURLMcode, curl_multi_add_handle, (CURLM *m, CURL *h), (m, h))
FORWARD(CURLMcode, curl_multi_remove_handle, (CURLM *m, CURL *h), (m, h))
FORWARD(CURLMcode, curl_multi_assign, (CURLM *m, curl_socket_t s, void *p), (m, s, p))
FORWARD(CURLMcode, curl_multi_socket_action, (CURLM *m, curl_socket_t s, int events, int *running),
        (m, s, events, running))
FORWARD(CURLMsg *, curl_multi_info_read, (CURLM *m, int *queued), (m, queued))

FORWARD(curl_slist *, curl_slist_append, (curl_slist *list, const char *text), (list, text))
FORWARD_VOID(curl_slist_free_all, (curl_slist *list), (list))

FORWARD(CURLU *, curl_url, (void), ())
FORWARD(CURLUcode, curl_url_get, (CURLU *u, CURLUPart what, char **part, unsigned int flags),
        (u, what, part, flags))
FORWARD(CURLUcode, curl_url_set, (CURLU *u, CURLUPart what, const char *part, unsigned int flags),
        (u, what, part, flags))

#else

int glmwb_curl_loaded(void) { return 0; }

#endif
