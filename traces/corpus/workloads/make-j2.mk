# SPDX-License-Identifier: GPL-2.0-only
# The make -j2 workload of the corpus: rmaplab's trace library, built from
# the source tree REPO.  make -f make-j2.mk REPO=/path/to/rmaplab -B -j2
SRC = $(REPO)/traces
CFLAGS = -std=gnu11 -O2 -g -I$(REPO)
OBJS = trace.o flags.o text.o binary.o

librmaptraces.a: $(OBJS)
	ar rcs $@ $^

%.o: $(SRC)/%.c
	$(CC) $(CFLAGS) -c -o $@ $<
