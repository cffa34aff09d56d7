#ifndef CURL_ON_DEMAND_H
#define CURL_ON_DEMAND_H

/// Whether libcurl has been loaded into this process: 1 once any of Foundation's URLSession
/// calls reached it, else 0. glmwb itself never makes one (its HTTP client is AsyncHTTPClient);
/// tests read this to see that the library is loaded on demand, and that it works when it is.
int glmwb_curl_loaded(void);

#endif
