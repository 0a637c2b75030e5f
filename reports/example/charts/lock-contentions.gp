# SPDX-License-Identifier: GPL-2.0-only
# Written by rmaplab report; run: gnuplot THIS.gp
set encoding utf8
unset key
set key top left noenhanced
set grid
set border 3
set tics nomirror
set title 'simulated lock contentions versus virtual CPUs (every class)' noenhanced
set xlabel 'virtual CPUs (log scale)' noenhanced
set ylabel 'contentions' noenhanced
set logscale x 2
if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
	set terminal pngcairo size 900,540 noenhanced font ',10'
} else {
	set terminal png size 900,540 noenhanced
}
set output 'lock-contentions.png'
plot 'lock-scaling.dat' index 0 using 1:3 with linespoints lw 2 title 'classic', 'lock-scaling.dat' index 1 using 1:3 with linespoints lw 2 title 'lazy', 'lock-scaling.dat' index 2 using 1:3 with linespoints lw 2 title 'cowctx', 'lock-scaling.dat' index 3 using 1:3 with linespoints lw 2 dt 2 title 'classic:reuse=off', 'lock-scaling.dat' index 4 using 1:3 with linespoints lw 2 dt 2 title 'lazy:posted', 'lock-scaling.dat' index 5 using 1:3 with linespoints lw 2 dt 2 title 'cowctx:poc'
set terminal svg size 900,540 noenhanced font 'sans,10'
set output 'lock-contentions.svg'
plot 'lock-scaling.dat' index 0 using 1:3 with linespoints lw 2 title 'classic', 'lock-scaling.dat' index 1 using 1:3 with linespoints lw 2 title 'lazy', 'lock-scaling.dat' index 2 using 1:3 with linespoints lw 2 title 'cowctx', 'lock-scaling.dat' index 3 using 1:3 with linespoints lw 2 dt 2 title 'classic:reuse=off', 'lock-scaling.dat' index 4 using 1:3 with linespoints lw 2 dt 2 title 'lazy:posted', 'lock-scaling.dat' index 5 using 1:3 with linespoints lw 2 dt 2 title 'cowctx:poc'
set output
