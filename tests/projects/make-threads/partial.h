#ifndef PARTIAL_H
#define PARTIAL_H

struct slice {
    long long from, to, sum;
};

void *sum_slice(void *slice);

#endif
