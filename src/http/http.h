/* Requests and responses as the route handlers see them; the MHD plumbing is in server.c. */
#ifndef HZ_HTTP_H
#define HZ_HTTP_H
#include <jansson.h>
#include <microhttpd.h>
#include <stddef.h>
#include <stdint.h>
#include "db/db.h"
#include "http/query.h"
#include "domain/role.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/err.h"

#define JSON_BODY_MAX (1u << 20)        /* 1 MiB */
#define UPLOAD_BODY_MAX (20u << 20)     /* 20 MiB: a scanned contract */
#define IMPORT_BODY_MAX (50u << 20)     /* 50 MiB: a spreadsheet to import (about 1M project rows in XLSX) */
#define PATH_SEGMENTS_MAX 8

typedef struct {
  struct MHD_Connection *conn;
  const char *method;
  const char *path;
  char *segs[PATH_SEGMENTS_MAX]; /* path split at '/', owned */
  int nsegs;
  int64_t ids[2];                /* numeric {id} segments matched by the route */
  const char *names[2];          /* {name} segments matched by the route */
  Buf body;
  int body_too_big;
  /* Query parameters, decoded by server.c from the URI as sent: a parameter given once is
   * a string, given several times an array of strings; owned. */
  json_t *query;
  char *raw_query;               /* the query string as sent (after '?'), owned */
  int bad_query;                 /* a parameter is unusable: QUERY_BAD_* */
  char bad_query_name[64];
  Db *db;                        /* this worker thread's connection */
  Actor actor;
  int authed;
  int via_cookie;
  char session_token[TOKEN_LEN];
  char csrf[TOKEN_LEN];
  double started;
  char address[48];              /* the client's IP address, filled by request_address */
  size_t uri_len;                /* the URI as sent, in bytes (server.c's limits) */
  size_t header_len;             /* the header fields, in bytes */
  int tls;                       /* came over HTTPS */
  int route_no;                  /* 1 + the matched route's index in the route table; 0 none (metrics) */
} Request;

typedef struct {
  int status;
  char *body;
  size_t len;
  const char *content_type;
  /* Who owns body: release(owner) frees it once sent (free for malloc'd bodies,
   * cache_release for shared cached ones); NULL for static data. */
  void (*release)(void *owner);
  void *owner;
  char extra_headers[6][2048];    /* "Name: value" */
  int nextra;
  int file;                       /* 1: the body is file_fd (file_size bytes), not body */
  int file_fd;                    /* owned until sent: closed by MHD or response_free */
  uint64_t file_size;
} Response;

/* Route handler: fill rs and return HZ_OK, or return an HzRc with e set (the router
 * writes the JSON error). */
typedef int (*Handler)(Request *rq, Response *rs, HzErr *e);

const char *request_header(Request *rq, const char *name);
/* The value of a query parameter given once, or NULL (absent, or given several times:
 * the router refuses that outside the collection lists). Borrowed from rq->query. */
const char *request_query(Request *rq, const char *name);
/* The client's IP address as text ("" when unknown). */
const char *request_address(Request *rq);
/* Whether the client's Accept-Encoding takes gzip (or *) with a non-zero q. */
int request_accepts_gzip(Request *rq);
/* Parses the JSON body (object expected); HZ_EMALFORMED / HZ_EMEDIA with e set. */
int request_json(Request *rq, json_t **out, HzErr *e);

void response_json(Response *rs, int status, json_t *j); /* steals j */
void response_text(Response *rs, int status, const char *content_type, const char *text);
void response_take(Response *rs, int status, const char *content_type, char *data, size_t len);
void response_static(Response *rs, int status, const char *content_type, const void *data, size_t len);
/* data stays owned by owner; release(owner) is called once the response is done with it. */
void response_shared(Response *rs, int status, const char *content_type, const void *data, size_t len,
                     void (*release)(void *), void *owner);
/* The body is the open file fd, size bytes from its start, sent without reading it into
 * memory; fd is owned by rs from here on (closed once sent, or by response_free). */
void response_file(Response *rs, int status, const char *content_type, int fd, uint64_t size);
void response_header(Response *rs, const char *name, const char *value);
/* Content-Disposition: attachment with filename (UTF-8): an ASCII fallback plus the name
 * percent-encoded (RFC 6266 / RFC 5987 filename*=UTF-8''…). */
void response_attachment(Response *rs, const char *filename);
void response_error(Response *rs, HzErr *e);
void response_free(Response *rs);

/* Finds and runs the handler for rq, with authentication, CSRF and role checks. */
void router_dispatch(Request *rq, Response *rs);
/* Largest body the route for method+path accepts. */
size_t router_body_limit(const char *method, const char *path);

#endif
