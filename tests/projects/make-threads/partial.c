#include "partial.h"

void *sum_slice(void *arg) {
    struct slice *slice = arg;
    for (long long i = slice->from; i < slice->to; i++) slice->sum += i;
    return 0;
}
