{
  "targets": [
    {
      "target_name": "pbs_native",
      "sources": ["csrc/pbs_native.c"],
      "defines": ["_GNU_SOURCE", "NAPI_VERSION=8"],
      "cflags": ["-Wall", "-Wextra", "-Wno-unused-parameter", "-O2"]
    }
  ]
}
