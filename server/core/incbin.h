// HELUO_INCBIN(name, path): a file's bytes compiled into the binary with the assembler's .incbin, so that
// heluo-server needs no files at run time (the bundled data/, the web console's assets). Defines
// `name##_begin` and `name##_end`; a NUL byte follows the data (not part of it).
#ifndef HELUO_SERVER_CORE_INCBIN_H_
#define HELUO_SERVER_CORE_INCBIN_H_

#define HELUO_INCBIN(name, path)                        \
  __asm__(".section .rodata\n"                          \
          ".global " #name "_begin\n" #name "_begin:\n" \
          ".incbin \"" path "\"\n"                      \
          ".global " #name "_end\n" #name "_end:\n"     \
          ".byte 0\n"                                   \
          ".previous\n");                               \
  extern "C" const char name##_begin[];                 \
  extern "C" const char name##_end[];

#endif  // HELUO_SERVER_CORE_INCBIN_H_
