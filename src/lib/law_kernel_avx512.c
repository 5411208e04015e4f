/* law_kernel_avx512.c — law_kernel_body.h built with -mavx512f (and no
 * contraction of a multiply and an add: the same bits as the baseline's),
 * where the compiler takes it (src/CMakeLists.txt); law_kernel.c calls it
 * only where the processor and the operating system run it. */
#include "law_kernel_body.h"

#if defined(__x86_64__) && defined(SLAW_LAW_KERNEL_AVX512)
LAW_KERNELS_DEFINE(avx512, 8);
#endif
