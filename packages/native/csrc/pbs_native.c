/*
 * pbs_native: the few Linux system calls Node 20 does not expose and a backup tool needs —
 * extended attributes (l*xattr, which also carry POSIX ACLs and file capabilities), mknod,
 * utimensat with nanoseconds, flock, fcntl record locks, chattr flags and the quota project id.
 *
 * Every function is synchronous: each is one or two short system calls. Failures throw an Error
 * shaped like Node's fs errors: `code` is the errno name (ENOENT, ENOTSUP, EPERM…), `errno` is
 * the negative errno, `syscall` and `path` name what failed. Paths may be strings (UTF-8) or
 * Buffers (raw bytes, for names that are not UTF-8).
 */
#include <node_api.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#define MAX_ARGS 6

#define CHECK(call)                                                                                \
  do {                                                                                             \
    if ((call) != napi_ok) {                                                                       \
      napi_throw_error(env, "EINTERNAL", "pbs_native: N-API call failed: " #call);                 \
      return NULL;                                                                                 \
    }                                                                                              \
  } while (0)

typedef struct {
  napi_value argv[MAX_ARGS];
  size_t argc;
} args_t;

static int get_args(napi_env env, napi_callback_info info, args_t *args, size_t want) {
  args->argc = MAX_ARGS;
  if (napi_get_cb_info(env, info, &args->argc, args->argv, NULL, NULL) != napi_ok) return -1;
  if (args->argc < want) {
    napi_throw_type_error(env, "ERR_INVALID_ARG", "pbs_native: missing arguments");
    return -1;
  }
  return 0;
}

static const char *errno_name(int err) {
  const char *name = strerrorname_np(err);
  return name != NULL ? name : "EUNKNOWN";
}

static void set_prop(napi_env env, napi_value obj, const char *key, napi_value value) {
  napi_set_named_property(env, obj, key, value);
}

/* Throws `<CODE>: <strerror>, <syscall> '<path>'[ '<detail>']` with code/errno/syscall/path. */
static napi_value throw_errno(napi_env env, int err, const char *syscall, const char *path,
                              const char *detail) {
  char msg[8192];
  const char *code = errno_name(err);
  if (detail != NULL) {
    snprintf(msg, sizeof msg, "%s: %s, %s '%s' '%s'", code, strerror(err), syscall,
             path != NULL ? path : "", detail);
  } else if (path != NULL) {
    snprintf(msg, sizeof msg, "%s: %s, %s '%s'", code, strerror(err), syscall, path);
  } else {
    snprintf(msg, sizeof msg, "%s: %s, %s", code, strerror(err), syscall);
  }
  napi_value js_msg, js_code, error, value;
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &js_msg);
  napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &js_code);
  napi_create_error(env, js_code, js_msg, &error);
  set_prop(env, error, "code", js_code);
  napi_create_int32(env, -err, &value);
  set_prop(env, error, "errno", value);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &value);
  set_prop(env, error, "syscall", value);
  if (path != NULL) {
    napi_create_string_utf8(env, path, NAPI_AUTO_LENGTH, &value);
    set_prop(env, error, "path", value);
  }
  napi_throw(env, error);
  return NULL;
}

/* Copies a string or Buffer argument into a fresh NUL-terminated heap string (free it). */
static char *get_cstring(napi_env env, napi_value value, const char *what) {
  napi_valuetype type;
  bool is_buffer = false;
  napi_typeof(env, value, &type);
  napi_is_buffer(env, value, &is_buffer);
  if (type == napi_string) {
    size_t len = 0;
    napi_get_value_string_utf8(env, value, NULL, 0, &len);
    char *out = malloc(len + 1);
    if (out == NULL) return NULL;
    napi_get_value_string_utf8(env, value, out, len + 1, &len);
    if (strlen(out) != len) {
      free(out);
      napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE", "pbs_native: NUL byte in argument");
      return NULL;
    }
    return out;
  }
  if (is_buffer) {
    void *data = NULL;
    size_t len = 0;
    napi_get_buffer_info(env, value, &data, &len);
    if (memchr(data, 0, len) != NULL) {
      napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE", "pbs_native: NUL byte in argument");
      return NULL;
    }
    char *out = malloc(len + 1);
    if (out == NULL) return NULL;
    memcpy(out, data, len);
    out[len] = 0;
    return out;
  }
  char msg[128];
  snprintf(msg, sizeof msg, "pbs_native: %s must be a string or a Buffer", what);
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
  return NULL;
}

static int get_i64(napi_env env, napi_value value, int64_t *out) {
  napi_valuetype type;
  napi_typeof(env, value, &type);
  if (type == napi_bigint) {
    bool lossless = false;
    return napi_get_value_bigint_int64(env, value, out, &lossless) == napi_ok && lossless ? 0 : -1;
  }
  return napi_get_value_int64(env, value, out) == napi_ok ? 0 : -1;
}

static napi_value make_bool(napi_env env, bool value) {
  napi_value out;
  napi_get_boolean(env, value, &out);
  return out;
}

static napi_value make_undefined(napi_env env) {
  napi_value out;
  napi_get_undefined(env, &out);
  return out;
}

/* ---------------------------------------------------------------- xattrs */

static napi_value js_lgetxattr(napi_env env, napi_callback_info info) {
  args_t a;
  if (get_args(env, info, &a, 2)) return NULL;
  char *path = get_cstring(env, a.argv[0], "path");
  if (path == NULL) return NULL;
  char *name = get_cstring(env, a.argv[1], "name");
  if (name == NULL) {
    free(path);
    return NULL;
  }
  napi_value result = NULL;
  int err = 0;
  for (;;) {
    ssize_t size = lgetxattr(path, name, NULL, 0);
    if (size < 0) {
      err = errno;
      break;
    }
    char *buf = malloc(size > 0 ? (size_t)size : 1);
    if (buf == NULL) {
      err = ENOMEM;
      break;
    }
    ssize_t got = lgetxattr(path, name, buf, (size_t)size);
    err = got < 0 ? errno : 0;
    if (got >= 0) napi_create_buffer_copy(env, (size_t)got, buf, NULL, &result);
    free(buf);
    if (err != ERANGE) break; /* ERANGE: the value grew in between, retry */
  }
  if (result == NULL) {
    if (err == ENODATA) {
      napi_get_null(env, &result);
    } else {
      throw_errno(env, err, "lgetxattr", path, name);
    }
  }
  free(path);
  free(name);
  return result;
}

static napi_value js_llistxattr(napi_env env, napi_callback_info info) {
  args_t a;
  if (get_args(env, info, &a, 1)) return NULL;
  char *path = get_cstring(env, a.argv[0], "path");
  if (path == NULL) return NULL;
  char *buf = NULL;
  ssize_t got = -1;
  int err = 0;
  for (;;) {
    ssize_t size = llistxattr(path, NULL, 0);
    if (size < 0) {
      err = errno;
      break;
    }
    free(buf);
    buf = malloc(size > 0 ? (size_t)size : 1);
    if (buf == NULL) {
      err = ENOMEM;
      break;
    }
    got = llistxattr(path, buf, (size_t)size);
    err = got < 0 ? errno : 0;
    if (err != ERANGE) break; /* the list grew in between: retry */
  }
  napi_value result = NULL;
  if (got < 0) {
    throw_errno(env, err, "llistxattr", path, NULL);
  } else {
    napi_create_array(env, &result);
    uint32_t index = 0;
    for (ssize_t at = 0; at < got;) {
      size_t len = strnlen(buf + at, (size_t)(got - at));
      napi_value name;
      napi_create_string_utf8(env, buf + at, len, &name);
      napi_set_element(env, result, index++, name);
      at += (ssize_t)len + 1;
    }
  }
  free(buf);
  free(path);
  return result;
}

static napi_value js_lsetxattr(napi_env env, napi_callback_info info) {
  args_t a;
  if (get_args(env, info, &a, 4)) return NULL;
  void *data = NULL;
  size_t len = 0;
  bool is_buffer = false;
  int32_t flags = 0;
  napi_is_buffer(env, a.argv[2], &is_buffer);
  if (!is_buffer) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "pbs_native: value must be a Buffer");
    return NULL;
  }
  napi_get_buffer_info(env, a.argv[2], &data, &len);
  CHECK(napi_get_value_int32(env, a.argv[3], &flags));
  char *path = get_cstring(env, a.argv[0], "path");
  if (path == NULL) return NULL;
  char *name = get_cstring(env, a.argv[1], "name");
  if (name == NULL) {
    free(path);
    return NULL;
  }
  napi_value result = make_undefined(env);
  if (lsetxattr(path, name, data, len, flags) != 0) {
    result = throw_errno(env, errno, "lsetxattr", path, name);
  }
  free(path);
  free(name);
  return result;
}

static napi_value js_lremovexattr(napi_env env, napi_callback_info info) {
  args_t a;
  if (get_args(env, info, &a, 2)) return NULL;
  char *path = get_cstring(env, a.argv[0], "path");
  if (path == NULL) return NULL;
  char *name = get_cstring(env, a.argv[1], "name");
  if (name == NULL) {
    free(path);
    return NULL;
  }
  napi_value result = make_undefined(env);
  if (lremovexattr(path, name) != 0) result = throw_errno(env, errno, "lremovexattr", path, name);
  free(path);
  free(name);
  return result;
}

/* fd variants for files the caller has open anyway (saves an open per file in a backup walk) */

static napi_value js_fgetxattr(napi_env env, napi_callback_info info) {
  args_t a;
  if (get_args(env, info, &a, 2)) return NULL;
  int32_t fd = -1;
  CHECK(napi_get_value_int32(env, a.argv[0], &fd));
  char *name = get_cstring(env, a.argv[1], "name");
  if (name == NULL) return NULL;
  napi_value result = NULL;
  int err = 0;
  for (;;) {
    ssize_t size = fgetxattr(fd, name, NULL, 0);
    if (size < 0) {
      err = errno;
      break;
    }
    char *buf = malloc(size > 0 ? (size_t)size : 1);
    if (buf == NULL) {
      err = ENOMEM;
      break;
    }
    ssize_t got = fgetxattr(fd, name, buf, (size_t)size);
    err = got < 0 ? errno : 0;
    if (got >= 0) napi_create_buffer_copy(env, (size_t)got, buf, NULL, &result);
    free(buf);
    if (err != ERANGE) break;
  }
  if (result == NULL) {
    if (err == ENODATA) {
      napi_get_null(env, &result);
    } else {
      char where[32];
      snprintf(where, sizeof where, "fd %d", fd);
      throw_errno(env, err, "fgetxattr", where, name);
    }
  }
  free(name);
  return result;
}

static napi_value js_flistxattr(napi_env env, napi_callback_info info) {
  args_t a;
  if (get_args(env, info, &a, 1)) return NULL;
  int32_t fd = -1;
  CHECK(napi_get_value_int32(env, a.argv[0], &fd));
  char *buf = NULL;
  ssize_t got = -1;
  int err = 0;
  for (;;) {
    ssize_t size = flistxattr(fd, NULL, 0);
    if (size < 0) {
      err = errno;
      break;
    }
    free(buf);
    buf = malloc(size > 0 ? (size_t)size : 1);
    if (buf == NULL) {
      err = ENOMEM;
      break;
    }
    got = flistxattr(fd, buf, (size_t)size);
    err = got < 0 ? errno : 0;
    if (err != ERANGE) break;
  }
  napi_value result = NULL;
  if (got < 0) {
    char where[32];
    snprintf(where, sizeof where, "fd %d", fd);
    throw_errno(env, err, "flistxattr", where, NULL);
  } else {
    napi_create_array(env, &result);
    uint32_t index = 0;
    for (ssize_t at = 0; at < got;) {
      size_t len = strnlen(buf + at, (size_t)(got - at));
      napi_value name;
      napi_create_string_utf8(env, buf + at, len, &name);
      napi_set_element(env, result, index++, name);
      at += (ssize_t)len + 1;
    }
  }
  free(buf);
  return result;
}

/* ---------------------------------------------------------------- nodes and times */

static napi_value js_mknod(napi_env env, napi_callback_info info) {
  args_t a;
  if (get_args(env, info, &a, 4)) return NULL;
  uint32_t mode = 0, major_no = 0, minor_no = 0;
  CHECK(napi_get_value_uint32(env, a.argv[1], &mode));
  CHECK(napi_get_value_uint32(env, a.argv[2], &major_no));
  CHECK(napi_get_value_uint32(env, a.argv[3], &minor_no));
  char *path = get_cstring(env, a.argv[0], "path");
  if (path == NULL) return NULL;
  napi_value result = make_undefined(env);
  if (mknod(path, (mode_t)mode, makedev(major_no, minor_no)) != 0) {
    result = throw_errno(env, errno, "mknod", path, NULL);
  }
  free(path);
  return result;
}

/* utimensat(path, atimeSec, atimeNsec, mtimeSec, mtimeNsec, noFollow); nsec may be UTIME_NOW or
 * UTIME_OMIT, which the TypeScript wrapper passes for 'now' and 'omit'. */
static napi_value js_utimensat(napi_env env, napi_callback_info info) {
  args_t a;
  if (get_args(env, info, &a, 6)) return NULL;
  int64_t values[4];
  for (int i = 0; i < 4; i++) {
    if (get_i64(env, a.argv[1 + i], &values[i]) != 0) {
      napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "pbs_native: bad timestamp");
      return NULL;
    }
  }
  bool no_follow = false;
  CHECK(napi_get_value_bool(env, a.argv[5], &no_follow));
  struct timespec times[2] = {{.tv_sec = values[0], .tv_nsec = values[1]},
                              {.tv_sec = values[2], .tv_nsec = values[3]}};
  char *path = get_cstring(env, a.argv[0], "path");
  if (path == NULL) return NULL;
  napi_value result = make_undefined(env);
  if (utimensat(AT_FDCWD, path, times, no_follow ? AT_SYMLINK_NOFOLLOW : 0) != 0) {
    result = throw_errno(env, errno, "utimensat", path, NULL);
  }
  free(path);
  return result;
}

/* ---------------------------------------------------------------- locks */

/* flock(fd, operation, nonBlocking) -> false when a non-blocking request would block. */
static napi_value js_flock(napi_env env, napi_callback_info info) {
  args_t a;
  if (get_args(env, info, &a, 3)) return NULL;
  int32_t fd = -1, op = 0;
  bool non_blocking = false;
  CHECK(napi_get_value_int32(env, a.argv[0], &fd));
  CHECK(napi_get_value_int32(env, a.argv[1], &op));
  CHECK(napi_get_value_bool(env, a.argv[2], &non_blocking));
  if (non_blocking) op |= LOCK_NB;
  int rc;
  do {
    rc = flock(fd, op);
  } while (rc != 0 && errno == EINTR);
  if (rc == 0) return make_bool(env, true);
  if (errno == EWOULDBLOCK && non_blocking) return make_bool(env, false);
  return throw_errno(env, errno, "flock", NULL, NULL);
}

/* setlk(fd, type): non-blocking fcntl(F_SETLK) record lock over the whole file. */
static napi_value js_setlk(napi_env env, napi_callback_info info) {
  args_t a;
  if (get_args(env, info, &a, 2)) return NULL;
  int32_t fd = -1, type = 0;
  CHECK(napi_get_value_int32(env, a.argv[0], &fd));
  CHECK(napi_get_value_int32(env, a.argv[1], &type));
  struct flock lock = {.l_type = (short)type, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
  int rc;
  do {
    rc = fcntl(fd, F_SETLK, &lock);
  } while (rc != 0 && errno == EINTR);
  if (rc == 0) return make_bool(env, true);
  if (errno == EAGAIN || errno == EACCES) return make_bool(env, false);
  return throw_errno(env, errno, "fcntl(F_SETLK)", NULL, NULL);
}

/* ---------------------------------------------------------------- inode flags and project id */

/* Opens without following symlinks and without blocking on FIFOs or devices. */
static int open_for_ioctl(const char *path) {
  return open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
}

static napi_value js_getflags(napi_env env, napi_callback_info info) {
  args_t a;
  if (get_args(env, info, &a, 1)) return NULL;
  char *path = get_cstring(env, a.argv[0], "path");
  if (path == NULL) return NULL;
  napi_value result = NULL;
  int fd = open_for_ioctl(path);
  int flags = 0;
  if (fd < 0) {
    throw_errno(env, errno, "open", path, NULL);
  } else if (ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0) {
    throw_errno(env, errno, "ioctl(FS_IOC_GETFLAGS)", path, NULL);
  } else {
    napi_create_uint32(env, (uint32_t)flags, &result);
  }
  if (fd >= 0) close(fd);
  free(path);
  return result;
}

static napi_value js_setflags(napi_env env, napi_callback_info info) {
  args_t a;
  if (get_args(env, info, &a, 2)) return NULL;
  uint32_t value = 0;
  CHECK(napi_get_value_uint32(env, a.argv[1], &value));
  char *path = get_cstring(env, a.argv[0], "path");
  if (path == NULL) return NULL;
  napi_value result = make_undefined(env);
  int fd = open_for_ioctl(path);
  int flags = (int)value;
  if (fd < 0) {
    result = throw_errno(env, errno, "open", path, NULL);
  } else if (ioctl(fd, FS_IOC_SETFLAGS, &flags) != 0) {
    result = throw_errno(env, errno, "ioctl(FS_IOC_SETFLAGS)", path, NULL);
  }
  if (fd >= 0) close(fd);
  free(path);
  return result;
}

static napi_value js_getprojid(napi_env env, napi_callback_info info) {
  args_t a;
  if (get_args(env, info, &a, 1)) return NULL;
  char *path = get_cstring(env, a.argv[0], "path");
  if (path == NULL) return NULL;
  napi_value result = NULL;
  struct fsxattr attr;
  memset(&attr, 0, sizeof attr);
  int fd = open_for_ioctl(path);
  if (fd < 0) {
    throw_errno(env, errno, "open", path, NULL);
  } else if (ioctl(fd, FS_IOC_FSGETXATTR, &attr) != 0) {
    throw_errno(env, errno, "ioctl(FS_IOC_FSGETXATTR)", path, NULL);
  } else {
    napi_create_uint32(env, attr.fsx_projid, &result);
  }
  if (fd >= 0) close(fd);
  free(path);
  return result;
}

static napi_value js_setprojid(napi_env env, napi_callback_info info) {
  args_t a;
  if (get_args(env, info, &a, 2)) return NULL;
  uint32_t projid = 0;
  CHECK(napi_get_value_uint32(env, a.argv[1], &projid));
  char *path = get_cstring(env, a.argv[0], "path");
  if (path == NULL) return NULL;
  napi_value result = make_undefined(env);
  struct fsxattr attr;
  memset(&attr, 0, sizeof attr);
  int fd = open_for_ioctl(path);
  if (fd < 0) {
    result = throw_errno(env, errno, "open", path, NULL);
  } else if (ioctl(fd, FS_IOC_FSGETXATTR, &attr) != 0) {
    result = throw_errno(env, errno, "ioctl(FS_IOC_FSGETXATTR)", path, NULL);
  } else {
    attr.fsx_projid = projid;
    if (ioctl(fd, FS_IOC_FSSETXATTR, &attr) != 0) {
      result = throw_errno(env, errno, "ioctl(FS_IOC_FSSETXATTR)", path, NULL);
    }
  }
  if (fd >= 0) close(fd);
  free(path);
  return result;
}

/* Both inode ioctls on an open fd: [flags, projid], each -errno when the ioctl fails. */
static napi_value inode_attrs_result(napi_env env, int fd) {
  int flags = 0;
  struct fsxattr attr;
  memset(&attr, 0, sizeof attr);
  double values[2];
  values[0] = ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 ? (double)(uint32_t)flags : -(double)errno;
  values[1] = ioctl(fd, FS_IOC_FSGETXATTR, &attr) == 0 ? (double)attr.fsx_projid : -(double)errno;
  napi_value result, v;
  napi_create_array_with_length(env, 2, &result);
  for (uint32_t i = 0; i < 2; i++) {
    napi_create_double(env, values[i], &v);
    napi_set_element(env, result, i, v);
  }
  return result;
}

/* getinodeattrs(path) -> [flags, projid]: one open, both ioctls. An ioctl the file system does
 * not support yields -errno in its slot instead of throwing; failing to open throws. */
static napi_value js_getinodeattrs(napi_env env, napi_callback_info info) {
  args_t a;
  if (get_args(env, info, &a, 1)) return NULL;
  char *path = get_cstring(env, a.argv[0], "path");
  if (path == NULL) return NULL;
  int fd = open_for_ioctl(path);
  if (fd < 0) {
    throw_errno(env, errno, "open", path, NULL);
    free(path);
    return NULL;
  }
  napi_value result = inode_attrs_result(env, fd);
  close(fd);
  free(path);
  return result;
}

static napi_value js_fgetinodeattrs(napi_env env, napi_callback_info info) {
  args_t a;
  if (get_args(env, info, &a, 1)) return NULL;
  int32_t fd = -1;
  CHECK(napi_get_value_int32(env, a.argv[0], &fd));
  return inode_attrs_result(env, fd);
}

/* ---------------------------------------------------------------- module */

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"lgetxattr", NULL, js_lgetxattr, NULL, NULL, NULL, napi_enumerable, NULL},
      {"llistxattr", NULL, js_llistxattr, NULL, NULL, NULL, napi_enumerable, NULL},
      {"lsetxattr", NULL, js_lsetxattr, NULL, NULL, NULL, napi_enumerable, NULL},
      {"lremovexattr", NULL, js_lremovexattr, NULL, NULL, NULL, napi_enumerable, NULL},
      {"mknod", NULL, js_mknod, NULL, NULL, NULL, napi_enumerable, NULL},
      {"utimensat", NULL, js_utimensat, NULL, NULL, NULL, napi_enumerable, NULL},
      {"flock", NULL, js_flock, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setlk", NULL, js_setlk, NULL, NULL, NULL, napi_enumerable, NULL},
      {"getflags", NULL, js_getflags, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setflags", NULL, js_setflags, NULL, NULL, NULL, napi_enumerable, NULL},
      {"getprojid", NULL, js_getprojid, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setprojid", NULL, js_setprojid, NULL, NULL, NULL, napi_enumerable, NULL},
      {"getinodeattrs", NULL, js_getinodeattrs, NULL, NULL, NULL, napi_enumerable, NULL},
      {"fgetinodeattrs", NULL, js_fgetinodeattrs, NULL, NULL, NULL, napi_enumerable, NULL},
      {"fgetxattr", NULL, js_fgetxattr, NULL, NULL, NULL, napi_enumerable, NULL},
      {"flistxattr", NULL, js_flistxattr, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) {
    return NULL;
  }
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
