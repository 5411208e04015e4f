/* lanczos1-optimum.c — the exact least-squares optimum of NIST's Lanczos1,
 * by Gauss-Newton in quad precision (__float128) from the data read as
 * decimals, and its RSS computed in quad and in double: the numbers behind
 * test_nist.c's nist_lanczos1_rss_should_sit_at_the_double_precision_floor.
 * Not part of the build (GCC's libquadmath):
 *     gcc -O2 lanczos1-optimum.c -o lanczos1-optimum -lquadmath -lm
 *     ./lanczos1-optimum Lanczos1.dat */
#include <quadmath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
typedef __float128 Q;
static Q X[64], Y[64];
static double Xd[64], Yd[64];
static int n;
static Q model(const Q *b, Q x, Q *g)
{
    Q e1 = expq(-b[1] * x), e2 = expq(-b[3] * x), e3 = expq(-b[5] * x);
    if (g) {
        g[0] = e1;
        g[1] = -b[0] * x * e1;
        g[2] = e2;
        g[3] = -b[2] * x * e2;
        g[4] = e3;
        g[5] = -b[4] * x * e3;
    }
    return b[0] * e1 + b[2] * e2 + b[4] * e3;
}
int main(int argc, char **argv)
{
    FILE *fp = fopen(argv[1], "r");
    char line[512];
    int data = 0, k;
    Q b[6];
    char s[4][64];
    while (fgets(line, sizeof line, fp)) {
        if (sscanf(line, " b%d = %63s %63s %63s %63s", &k, s[0], s[1], s[2], s[3]) == 5) {
            b[k - 1] = strtoflt128(s[2], NULL);
            continue;
        }
        if (!strncmp(line, "Data:   y", 9)) {
            data = 1;
            continue;
        }
        if (data && sscanf(line, "%63s %63s", s[0], s[1]) == 2) {
            Y[n] = strtoflt128(s[0], NULL);
            X[n] = strtoflt128(s[1], NULL);
            Yd[n] = strtod(s[0], NULL);
            Xd[n] = strtod(s[1], NULL);
            n++;
        }
    }
    for (int it = 0; it < 30; it++) {
        Q A[6][7] = {{0}};
        for (int i = 0; i < n; i++) {
            Q g[6];
            Q r = Y[i] - model(b, X[i], g);
            for (int a = 0; a < 6; a++) {
                for (int c = 0; c < 6; c++) A[a][c] += g[a] * g[c];
                A[a][6] += g[a] * r;
            }
        }
        for (int c = 0; c < 6; c++) {
            int piv = c;
            for (int r = c + 1; r < 6; r++)
                if (fabsq(A[r][c]) > fabsq(A[piv][c])) piv = r;
            for (int j = 0; j < 7; j++) {
                Q t = A[c][j];
                A[c][j] = A[piv][j];
                A[piv][j] = t;
            }
            for (int r = 0; r < 6; r++)
                if (r != c) {
                    Q f = A[r][c] / A[c][c];
                    for (int j = 0; j < 7; j++) A[r][j] -= f * A[c][j];
                }
        }
        for (int a = 0; a < 6; a++) b[a] += A[a][6] / A[a][a];
    }
    Q rss = 0;
    double rssd = 0, bd[6];
    for (int a = 0; a < 6; a++) bd[a] = (double)b[a];
    for (int i = 0; i < n; i++) {
        Q r = model(b, X[i], NULL) - Y[i];
        rss += r * r;
        double f =
            bd[0] * exp(-bd[1] * Xd[i]) + bd[2] * exp(-bd[3] * Xd[i]) + bd[4] * exp(-bd[5] * Xd[i]);
        rssd += (f - Yd[i]) * (f - Yd[i]);
    }
    char buf[64];
    quadmath_snprintf(buf, sizeof buf, "%.12Qe", rss);
    printf("%s: quad optimum RSS %s; the same parameters in double: RSS %.12e\n", argv[1], buf,
           rssd);
    for (int a = 0; a < 6; a++) {
        quadmath_snprintf(buf, sizeof buf, "%.16Qe", b[a]);
        printf("  b%d %s\n", a + 1, buf);
    }
    return 0;
}
