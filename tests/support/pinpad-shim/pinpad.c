/*
 * A PIN-pad reader for the tests: a PKCS#11 module that forwards every call to SoftHSM2 but
 * reports CKF_PROTECTED_AUTHENTICATION_PATH, as a reader with its own keypad does (PKCS#11 v2.40
 * §5.6, C_Login with a NULL or empty PIN). Such a login shows its prompt (creates the file
 * MCN_PINPAD_PROMPT_FILE, if set), waits until the PIN is typed (the file MCN_PINPAD_TYPED_FILE
 * exists, if set: CKR_FUNCTION_CANCELED after MCN_PINPAD_TIMEOUT_MS, 20 s by default) and
 * MCN_PINPAD_DELAY_MS more, then logs in to SoftHSM with MCN_PINPAD_PIN (none: cancelled).
 * MCN_PINPAD_REFUSE (a CK_RV, decimal) is answered instead, after the entry: a locked card.
 * A login that carries a PIN goes through unchanged. MCN_PINPAD_SOFTHSM: the SoftHSM library.
 * Built by tests/support/pinpad.ts (cc -shared -fPIC); no state beyond the forwarded list.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#define CK_PTR *
#define CK_DECLARE_FUNCTION(returnType, name) returnType name
#define CK_DECLARE_FUNCTION_POINTER(returnType, name) returnType(*name)
#define CK_CALLBACK_FUNCTION(returnType, name) returnType(*name)
#ifndef NULL_PTR
#define NULL_PTR 0
#endif
#include "pkcs11.h"

static CK_FUNCTION_LIST_PTR softhsm;
static CK_FUNCTION_LIST pinpad;
static CK_RV loaded = CKR_GENERAL_ERROR;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static CK_RV pinpad_get_token_info(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info) {
  CK_RV rv = softhsm->C_GetTokenInfo(slot, info);
  if (rv == CKR_OK) info->flags |= CKF_PROTECTED_AUTHENTICATION_PATH;
  return rv;
}

static long env_ms(const char *name, long fallback) {
  const char *value = getenv(name);
  return value == NULL ? fallback : strtol(value, NULL, 10);
}

static void sleep_ms(long ms) {
  struct timespec wait = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&wait, &wait) != 0) {
  }
}

static CK_RV pinpad_login(CK_SESSION_HANDLE session, CK_USER_TYPE user, CK_UTF8CHAR_PTR pin,
                          CK_ULONG length) {
  if (user != CKU_USER || (pin != NULL_PTR && length > 0))
    return softhsm->C_Login(session, user, pin, length);
  const char *prompt = getenv("MCN_PINPAD_PROMPT_FILE");
  if (prompt != NULL) {
    int fd = open(prompt, O_WRONLY | O_CREAT, 0600);
    if (fd >= 0) close(fd);
  }
  const char *typedFile = getenv("MCN_PINPAD_TYPED_FILE");
  if (typedFile != NULL) {
    long left = env_ms("MCN_PINPAD_TIMEOUT_MS", 20000);
    for (; access(typedFile, F_OK) != 0; left -= 10) {
      if (left <= 0) return CKR_FUNCTION_CANCELED;
      sleep_ms(10);
    }
  }
  sleep_ms(env_ms("MCN_PINPAD_DELAY_MS", 0));
  long refuse = env_ms("MCN_PINPAD_REFUSE", CKR_OK);
  if (refuse != CKR_OK) return (CK_RV)refuse;
  const char *typed = getenv("MCN_PINPAD_PIN");
  if (typed == NULL) return CKR_FUNCTION_CANCELED; /* nobody at the keypad */
  return softhsm->C_Login(session, user, (CK_UTF8CHAR_PTR)typed, strlen(typed));
}

static CK_RV pinpad_get_function_list(CK_FUNCTION_LIST_PTR_PTR list);

static void load_softhsm(void) {
  const char *path = getenv("MCN_PINPAD_SOFTHSM");
  void *library = dlopen(path == NULL ? "/usr/lib/softhsm/libsofthsm2.so" : path, RTLD_NOW | RTLD_LOCAL);
  if (library == NULL) return;
  CK_C_GetFunctionList get = (CK_C_GetFunctionList)dlsym(library, "C_GetFunctionList");
  if (get == NULL || get(&softhsm) != CKR_OK) return;
  pinpad = *softhsm;
  pinpad.C_GetFunctionList = pinpad_get_function_list;
  pinpad.C_GetTokenInfo = pinpad_get_token_info;
  pinpad.C_Login = pinpad_login;
  loaded = CKR_OK;
}

static CK_RV pinpad_get_function_list(CK_FUNCTION_LIST_PTR_PTR list) {
  if (list == NULL_PTR) return CKR_ARGUMENTS_BAD;
  pthread_once(&once, load_softhsm);
  if (loaded != CKR_OK) return loaded;
  *list = &pinpad;
  return CKR_OK;
}

CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list) { return pinpad_get_function_list(list); }
