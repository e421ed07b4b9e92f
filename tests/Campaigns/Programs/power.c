/* The external program of the Programs test campaign: reads an integer from the file named by its
   first argument, writes it raised to POWER (plus OFFSET) to the file named by its second, and says
   so on standard output. At 7 it fails (exit code 3, a reason on standard error); at 11 it sleeps
   for a minute, longer than the step's timeout. Built by the tests: cc -DPOWER=2 -DOFFSET=0. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#ifndef POWER
#define POWER 2
#endif
#ifndef OFFSET
#define OFFSET 0
#endif

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s INPUT OUTPUT\n", argv[0]);
        return 2;
    }

    FILE *in = fopen(argv[1], "r");
    long n;
    if (in == NULL || fscanf(in, "%ld", &n) != 1) {
        fprintf(stderr, "cannot read an integer from %s\n", argv[1]);
        return 2;
    }
    fclose(in);

    if (n == 7) {
        fprintf(stderr, "working on %ld\n", n);
        fprintf(stderr, "cannot raise seven to the power %d\n", POWER);
        return 3;
    }
    if (n == 11) {
        sleep(60);
    }

    long value = OFFSET;
    long power = 1;
    for (int i = 0; i < POWER; i++) {
        power *= n;
    }
    value += power;

    FILE *out = fopen(argv[2], "w");
    fprintf(out, "%ld\n", value);
    fclose(out);
    printf("%ld to the power %d is %ld\n", n, POWER, power);
    return 0;
}
