#include "report/embedded.h"

// The files are pulled in with the assembler's .incbin: no generated multi-megabyte source,
// and the build depends on them (OBJECT_DEPENDS) and on their hash (a compile definition,
// so ccache never serves a stale object).
#define NNC_INCBIN(sym, path)                                  \
  asm(".pushsection .rodata\n"                                 \
      ".global " #sym "_begin\n"                               \
      ".balign 16\n" #sym "_begin:\n"                          \
      ".incbin \"" path "\"\n"                                 \
      ".global " #sym "_end\n" #sym "_end:\n"                  \
      ".byte 0\n"                                              \
      ".popsection\n")

#ifdef NNC_PLOTLY_JS_PATH
NNC_INCBIN(nnc_plotly_js, NNC_PLOTLY_JS_PATH);
extern "C" const char nnc_plotly_js_begin[];
extern "C" const char nnc_plotly_js_end[];
#endif
#ifdef NNC_PUBLISHED_CIFAR10_PATH
NNC_INCBIN(nnc_published_cifar10, NNC_PUBLISHED_CIFAR10_PATH);
extern "C" const char nnc_published_cifar10_begin[];
extern "C" const char nnc_published_cifar10_end[];
#endif

namespace nnc::report {

std::string_view plotly_js() {
#ifdef NNC_PLOTLY_JS_PATH
  return {nnc_plotly_js_begin, static_cast<size_t>(nnc_plotly_js_end - nnc_plotly_js_begin)};
#else
  return {};
#endif
}

std::string_view plotly_version() {
#ifdef NNC_PLOTLY_VERSION
  return NNC_PLOTLY_VERSION;
#else
  return {};
#endif
}

std::string_view published_cifar10_csv() {
#ifdef NNC_PUBLISHED_CIFAR10_PATH
  return {nnc_published_cifar10_begin,
          static_cast<size_t>(nnc_published_cifar10_end - nnc_published_cifar10_begin)};
#else
  return {};
#endif
}

}  // namespace nnc::report
