#include <pthread.h>
#include <stdio.h>

#include "partial.h"

int main(void) {
    struct slice slices[2] = {{0, 500000, 0}, {500000, 1000000, 0}};
    pthread_t threads[2];
    for (int i = 0; i < 2; i++) pthread_create(&threads[i], 0, sum_slice, &slices[i]);
    for (int i = 0; i < 2; i++) pthread_join(threads[i], 0);
    printf("make sum %lld\n", slices[0].sum + slices[1].sum);
    return 0;
}
