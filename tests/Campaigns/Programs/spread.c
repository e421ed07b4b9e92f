/* The MPI program of the Programs test campaign: reads an integer n from the file named by its
   first argument; rank r contributes n * (r + 1), and rank 0 writes the sum over all ranks and the
   number of ranks to the file named by its second. Built by the tests with mpicc. */
#include <mpi.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);

    long n = 0;
    if (argc != 3) {
        if (rank == 0) fprintf(stderr, "usage: %s INPUT OUTPUT\n", argv[0]);
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    if (rank == 0) {
        FILE *in = fopen(argv[1], "r");
        if (in == NULL || fscanf(in, "%ld", &n) != 1) {
            fprintf(stderr, "cannot read an integer from %s\n", argv[1]);
            MPI_Abort(MPI_COMM_WORLD, 2);
        }
        fclose(in);
    }
    MPI_Bcast(&n, 1, MPI_LONG, 0, MPI_COMM_WORLD);

    long part = n * (rank + 1), sum = 0;
    MPI_Reduce(&part, &sum, 1, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    if (rank == 0) {
        FILE *out = fopen(argv[2], "w");
        fprintf(out, "%ld %d\n", sum, size);
        fclose(out);
        printf("%ld spread over %d ranks sums to %ld\n", n, size, sum);
    }

    MPI_Finalize();
    return 0;
}
