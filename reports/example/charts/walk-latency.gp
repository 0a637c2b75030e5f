# SPDX-License-Identifier: GPL-2.0-only
# Written by rmaplab report; run: gnuplot THIS.gp
set encoding utf8
unset key
set key top left noenhanced
set grid
set border 3
set tics nomirror
set title 'rmap walk latency per folio (all traces, first replay)' noenhanced
set xlabel 'ns (log scale)' noenhanced
set ylabel 'fraction of folios' noenhanced
set logscale x
set yrange [0:1]
set key bottom right
if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
	set terminal pngcairo size 900,540 noenhanced font ',10'
} else {
	set terminal png size 900,540 noenhanced
}
set output 'walk-latency.png'
plot 'walk-latency.dat' index 0 using 1:2 with steps lw 2 title 'classic', 'walk-latency.dat' index 1 using 1:2 with steps lw 2 title 'lazy', 'walk-latency.dat' index 2 using 1:2 with steps lw 2 title 'cowctx', 'walk-latency.dat' index 3 using 1:2 with steps lw 2 dt 2 title 'classic:reuse=off', 'walk-latency.dat' index 4 using 1:2 with steps lw 2 dt 2 title 'lazy:posted', 'walk-latency.dat' index 5 using 1:2 with steps lw 2 dt 2 title 'cowctx:poc'
set terminal svg size 900,540 noenhanced font 'sans,10'
set output 'walk-latency.svg'
plot 'walk-latency.dat' index 0 using 1:2 with steps lw 2 title 'classic', 'walk-latency.dat' index 1 using 1:2 with steps lw 2 title 'lazy', 'walk-latency.dat' index 2 using 1:2 with steps lw 2 title 'cowctx', 'walk-latency.dat' index 3 using 1:2 with steps lw 2 dt 2 title 'classic:reuse=off', 'walk-latency.dat' index 4 using 1:2 with steps lw 2 dt 2 title 'lazy:posted', 'walk-latency.dat' index 5 using 1:2 with steps lw 2 dt 2 title 'cowctx:poc'
set output
