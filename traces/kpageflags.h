/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * /proc/kpageflags words as kernel-run and the recorder store them.
 */
#ifndef RMAPLAB_TRACES_KPAGEFLAGS_H
#define RMAPLAB_TRACES_KPAGEFLAGS_H

#include <stdint.h>

/*
 * @kflags with KPF_KSM cleared when it cannot be true.  From the folio
 * conversion of stable_page_flags() (6.9) until "fs/proc: fix KPF_KSM
 * reported for all anonymous pages" the bit was set on every anon page
 * (Debian's 6.12.118 still does it); KSM pages exist only while
 * /sys/kernel/mm/ksm/pages_shared is not 0, so the bit is kept only then.
 */
uint64_t kpageflags_fix(uint64_t kflags);

#endif /* RMAPLAB_TRACES_KPAGEFLAGS_H */
