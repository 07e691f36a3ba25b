#include <stdio.h>

int missing_helper(int value);

int main(void) {
    printf("%d\n", missing_helper(1));
    return 0;
}
