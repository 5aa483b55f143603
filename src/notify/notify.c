/* WeCom and DingTalk group robots over libcurl (notify.h). */
#include "notify/notify.h"
#include <ctype.h>
#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int notify_kind(const char *name) {
  if (name && !strcmp(name, "wecom")) return NOTIFY_WECOM;
  if (name && !strcmp(name, "dingtalk")) return NOTIFY_DINGTALK;
  return -1;
}

void notify_dingtalk_sign(const char *secret, int64_t timestamp_ms, char out[NOTIFY_SIGN_LEN]) {
  char msg[64 + 1024];
  int n = snprintf(msg, sizeof msg, "%lld\n%s", (long long)timestamp_ms, secret);
  if (n < 0 || (size_t)n >= sizeof msg) n = (int)sizeof msg - 1; /* secrets are short; never overflow */
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
  crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, (unsigned long long)n);
  crypto_auth_hmacsha256_final(&st, mac);
  char b64[sodium_base64_ENCODED_LEN(crypto_auth_hmacsha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
  sodium_bin2base64(b64, sizeof b64, mac, sizeof mac, sodium_base64_VARIANT_ORIGINAL);
  size_t o = 0;
  for (const char *p = b64; *p && o + 4 < NOTIFY_SIGN_LEN; p++) {
    if (*p == '+' || *p == '/' || *p == '=') o += (size_t)snprintf(out + o, NOTIFY_SIGN_LEN - o, "%%%02X", *p);
    else out[o++] = *p;
  }
  out[o] = 0;
}

char *notify_payload(NotifyKind kind, const char *title, const char *text) {
  json_t *j = kind == NOTIFY_DINGTALK
                  ? json_pack("{s:s s:{s:s s:s}}", "msgtype", "markdown", "markdown", "title", title, "text", text)
                  : json_pack("{s:s s:{s:s}}", "msgtype", "markdown", "markdown", "content", text);
  char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
  json_decref(j);
  return s;
}

char *notify_signed_url(NotifyKind kind, const char *url, const char *secret, int64_t timestamp_ms) {
  size_t n = strlen(url) + NOTIFY_SIGN_LEN + 64;
  char *out = malloc(n);
  if (!out) return NULL;
  if (kind != NOTIFY_DINGTALK || !secret || !*secret) {
    snprintf(out, n, "%s", url);
    return out;
  }
  char sign[NOTIFY_SIGN_LEN];
  notify_dingtalk_sign(secret, timestamp_ms, sign);
  snprintf(out, n, "%s%ctimestamp=%lld&sign=%s", url, strchr(url, '?') ? '&' : '?', (long long)timestamp_ms, sign);
  return out;
}

void notify_mask(const char *secret, char out[NOTIFY_MASK_LEN]) {
  size_t n = secret ? strlen(secret) : 0;
  if (n < 10) snprintf(out, NOTIFY_MASK_LEN, "****");
  else snprintf(out, NOTIFY_MASK_LEN, "%.3s…%s", secret, secret + n - 4);
}

char *notify_mask_url(const char *url) {
  size_t n = strlen(url);
  char *out = malloc(n + NOTIFY_MASK_LEN * 8 + 1), *o = out;
  if (!out) return NULL;
  const char *q = strchr(url, '?');
  size_t head = q ? (size_t)(q - url) + 1 : n;
  memcpy(o, url, head);
  o += head;
  const char *p = q ? q + 1 : url + n;
  while (*p) {
    size_t plen = strcspn(p, "&");
    const char *eq = memchr(p, '=', plen);
    size_t name = eq ? (size_t)(eq - p) + 1 : plen;
    memcpy(o, p, name);
    o += name;
    if (eq) {
      char val[512], m[NOTIFY_MASK_LEN];
      size_t vlen = plen - name < sizeof val - 1 ? plen - name : sizeof val - 1;
      memcpy(val, eq + 1, vlen);
      val[vlen] = 0;
      notify_mask(val, m);
      size_t ml = strlen(m);
      memcpy(o, m, ml);
      o += ml;
    }
    p += plen;
    if (*p == '&') *o++ = *p++;
    if ((size_t)(o - out) > n + NOTIFY_MASK_LEN * 7) break; /* a URL of many parameters: stop masking, cut */
  }
  *o = 0;
  return out;
}

int notify_url_ok(const char *url) {
  if (!url) return 0;
  size_t skip = !strncasecmp(url, "https://", 8) ? 8 : !strncasecmp(url, "http://", 7) ? 7 : 0;
  if (!skip || !url[skip] || url[skip] == '/' || url[skip] == '?') return 0;
  for (const unsigned char *p = (const unsigned char *)url; *p; p++)
    if (*p <= ' ' || *p == 0x7f) return 0;
  return 1;
}

void notify_parse_answer(const char *body, size_t len, NotifyResult *r) {
  r->errcode = -1;
  r->errmsg[0] = 0;
  json_t *j = body ? json_loadb(body, len, 0, NULL) : NULL;
  json_t *code = json_object_get(j, "errcode"), *msg = json_object_get(j, "errmsg");
  if (json_is_integer(code)) r->errcode = json_integer_value(code);
  if (json_is_string(msg)) snprintf(r->errmsg, sizeof r->errmsg, "%s", json_string_value(msg));
  else if (!j) snprintf(r->errmsg, sizeof r->errmsg, "应答不是 JSON");
  else if (!json_is_integer(code)) snprintf(r->errmsg, sizeof r->errmsg, "应答没有 errcode");
  json_decref(j);
  r->ok = r->http_status == 200 && r->errcode == 0;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_setup(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

typedef struct {
  char data[8192];
  size_t len;
} Answer;

/* Keeps the first 8 KiB of the answer: a robot's reply is a few dozen bytes. */
static size_t on_data(char *ptr, size_t size, size_t nmemb, void *userdata) {
  Answer *a = userdata;
  size_t n = size * nmemb, room = sizeof a->data - 1 - a->len;
  memcpy(a->data + a->len, ptr, n < room ? n : room);
  a->len += n < room ? n : room;
  return n;
}

int notify_send(NotifyKind kind, const char *url, const char *secret, const char *title, const char *text,
                long timeout_ms, NotifyResult *r) {
  memset(r, 0, sizeof *r);
  r->errcode = -1;
  pthread_once(&curl_once, curl_setup);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  char *full = notify_signed_url(kind, url, secret, (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
  char *body = notify_payload(kind, title, text);
  CURL *c = curl_easy_init();
  struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json; charset=utf-8");
  Answer *ans = calloc(1, sizeof *ans);
  if (!full || !body || !c || !hdr || !ans) {
    snprintf(r->errmsg, sizeof r->errmsg, "内存不足");
    goto done;
  }
  char errbuf[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(c, CURLOPT_URL, full);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, ans);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "huizhan-webhook");
  CURLcode cc = curl_easy_perform(c);
  if (cc != CURLE_OK) {
    /* Cut to fit: the reason is curl's one line, rarely more than 100 bytes. */
    snprintf(r->errmsg, sizeof r->errmsg, "发送失败：%.200s", errbuf[0] ? errbuf : curl_easy_strerror(cc));
    goto done;
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->http_status);
  ans->data[ans->len] = 0;
  notify_parse_answer(ans->data, ans->len, r);
  if (r->http_status != 200 && r->errcode == -1) snprintf(r->errmsg, sizeof r->errmsg, "HTTP %ld", r->http_status);
done:
  free(ans);
  curl_slist_free_all(hdr);
  if (c) curl_easy_cleanup(c);
  free(body);
  free(full);
  return r->ok;
}
