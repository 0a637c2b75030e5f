# SPDX-License-Identifier: GPL-2.0-only
# Written by rmaplab report; run: gnuplot THIS.gp
set encoding utf8
unset key
set key top left noenhanced
set grid
set border 3
set tics nomirror
set title 'rmap lock acquisitions per operation (every class but mmap_lock; counted, not timed)' noenhanced
set xlabel 'operation' noenhanced
set ylabel 'acquisitions per operation' noenhanced
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key top left autotitle columnheader noenhanced
set yrange [0:*]
set xtics rotate by -30
if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
	set terminal pngcairo size 900,540 noenhanced font ',10'
} else {
	set terminal png size 900,540 noenhanced
}
set output 'lock-acquisitions.png'
plot for [i=2:7] 'lock-acquisitions.dat' using i:xtic(1) title columnheader(i)
set terminal svg size 900,540 noenhanced font 'sans,10'
set output 'lock-acquisitions.svg'
plot for [i=2:7] 'lock-acquisitions.dat' using i:xtic(1) title columnheader(i)
set output
