/* Group-robot webhooks (R-OUT-5): WeCom (企业微信) and DingTalk (钉钉) markdown messages
 * sent over libcurl. Pure pieces (payload, signature, masking, answer parsing) are
 * separate from the one function that does network I/O, so they can be unit-tested.
 * Nothing here touches the database: domain/webhooks.c queues and logs deliveries. */
#ifndef HZ_NOTIFY_H
#define HZ_NOTIFY_H
#include <stddef.h>
#include <stdint.h>

typedef enum { NOTIFY_WECOM, NOTIFY_DINGTALK } NotifyKind;

/* "wecom" / "dingtalk" -> kind; -1 when neither. */
int notify_kind(const char *name);

/* DingTalk's signature of a request: base64(HMAC-SHA256(key = secret,
 * message = "<timestamp_ms>\n<secret>")), percent-encoded for a query string.
 * out must hold NOTIFY_SIGN_LEN bytes. */
#define NOTIFY_SIGN_LEN 160
void notify_dingtalk_sign(const char *secret, int64_t timestamp_ms, char out[NOTIFY_SIGN_LEN]);

/* The request body for a markdown message; caller frees with free(). NULL on no memory. */
char *notify_payload(NotifyKind kind, const char *title, const char *text);

/* The URL to post to: for DingTalk with a secret, url + "&timestamp=…&sign=…" ("?" when
 * the URL has no query yet). Caller frees with free(). */
char *notify_signed_url(NotifyKind kind, const char *url, const char *secret, int64_t timestamp_ms);

/* Shown instead of a secret: the first 3 and last 4 characters ("SEC…a1b2"), or "****"
 * when it is too short to show any of it. out must hold NOTIFY_MASK_LEN bytes. */
#define NOTIFY_MASK_LEN 32
void notify_mask(const char *secret, char out[NOTIFY_MASK_LEN]);
/* The URL with the value of every query parameter masked (access_token, key):
 * caller frees with free(). */
char *notify_mask_url(const char *url);
/* Whether url is an absolute http:// or https:// URL with a host and no spaces or
 * control characters. */
int notify_url_ok(const char *url);

typedef struct {
  long http_status;   /* 0 when no answer came (connection refused, timeout) */
  int64_t errcode;    /* the robot's errcode; -1 when the answer had none */
  char errmsg[256];   /* the robot's errmsg, or what went wrong */
  int ok;             /* HTTP 200 and errcode 0 */
} NotifyResult;

/* Reads a robot's answer body into r (errcode, errmsg, ok), given r->http_status. */
void notify_parse_answer(const char *body, size_t len, NotifyResult *r);

/* Posts one markdown message. Never follows redirects, speaks only http and https,
 * gives up after timeout_ms. The outcome is in *r; returns r->ok. Thread-safe. */
int notify_send(NotifyKind kind, const char *url, const char *secret, const char *title, const char *text,
                long timeout_ms, NotifyResult *r);

#endif
