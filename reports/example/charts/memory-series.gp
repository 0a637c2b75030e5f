# SPDX-License-Identifier: GPL-2.0-only
# Written by rmaplab report; run: gnuplot THIS.gp
set encoding utf8
unset key
set key top left noenhanced
set grid
set border 3
set tics nomirror
set title 'rmap metadata over zygote.rmt' noenhanced
set xlabel 'events replayed' noenhanced
set ylabel 'KB (all classes but vm_area_struct)' noenhanced
if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
	set terminal pngcairo size 900,540 noenhanced font ',10'
} else {
	set terminal png size 900,540 noenhanced
}
set output 'memory-series.png'
plot 'memory-series.dat' index 0 using 1:2 with steps lw 2 title 'classic', 'memory-series.dat' index 1 using 1:2 with steps lw 2 title 'lazy', 'memory-series.dat' index 2 using 1:2 with steps lw 2 title 'cowctx', 'memory-series.dat' index 3 using 1:2 with steps lw 2 dt 2 title 'classic:reuse=off', 'memory-series.dat' index 4 using 1:2 with steps lw 2 dt 2 title 'lazy:posted', 'memory-series.dat' index 5 using 1:2 with steps lw 2 dt 2 title 'cowctx:poc'
set terminal svg size 900,540 noenhanced font 'sans,10'
set output 'memory-series.svg'
plot 'memory-series.dat' index 0 using 1:2 with steps lw 2 title 'classic', 'memory-series.dat' index 1 using 1:2 with steps lw 2 title 'lazy', 'memory-series.dat' index 2 using 1:2 with steps lw 2 title 'cowctx', 'memory-series.dat' index 3 using 1:2 with steps lw 2 dt 2 title 'classic:reuse=off', 'memory-series.dat' index 4 using 1:2 with steps lw 2 dt 2 title 'lazy:posted', 'memory-series.dat' index 5 using 1:2 with steps lw 2 dt 2 title 'cowctx:poc'
set output
