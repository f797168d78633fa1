/* Linear-chain CRF decoding loops for lagebild.crf (optional: the numpy code is the fallback).
 *
 * The numpy decoding costs a few numpy calls per token position, each 2-20 us whatever the
 * size of its (sentences x 9 x 9) arrays, so fast mode spent ~5 ms per article there.
 * These loops do the same arithmetic one sequence at a time:
 *   viterbi   - delta + transition, the first (lowest) previous label on ties, as CRFsuite
 *               and numpy's argmax; the paths equal the numpy ones exactly;
 *   marginals - scaled forward-backward on exp(score - max per token) and
 *               exp(trans - max(trans)); equal to the numpy ones up to the order of additions.
 * Arrays come in through the buffer protocol (C-contiguous float64 / int64), so no numpy
 * headers are needed to build this file; lagebild.crf checks shapes and types.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    Py_buffer scores, lengths, trans, out;
    Py_ssize_t n_labels, n_tokens, n_seq;
} Args;

static void release(Args *a) {
    PyBuffer_Release(&a->scores);
    PyBuffer_Release(&a->lengths);
    PyBuffer_Release(&a->trans);
    PyBuffer_Release(&a->out);
}

/* scores (N*L float64), lengths (S int64, summing to N), trans (L*L float64), out (writable,
 * ``per_token`` bytes per token: N int64 or N*L float64). */
static int parse(PyObject *args, Args *a, Py_ssize_t per_token, int per_label) {
    memset(a, 0, sizeof(*a));
    if (!PyArg_ParseTuple(args, "y*y*y*w*n", &a->scores, &a->lengths, &a->trans, &a->out,
                          &a->n_labels))
        return -1;
    Py_ssize_t L = a->n_labels;
    if (L <= 0 || a->trans.len != (Py_ssize_t)sizeof(double) * L * L ||
        a->scores.len % ((Py_ssize_t)sizeof(double) * L) != 0 ||
        a->lengths.len % (Py_ssize_t)sizeof(int64_t) != 0) {
        PyErr_SetString(PyExc_ValueError, "bad array sizes");
        release(a);
        return -1;
    }
    a->n_tokens = a->scores.len / ((Py_ssize_t)sizeof(double) * L);
    a->n_seq = a->lengths.len / (Py_ssize_t)sizeof(int64_t);
    const int64_t *lens = (const int64_t *)a->lengths.buf;
    Py_ssize_t total = 0;
    for (Py_ssize_t s = 0; s < a->n_seq; s++) {
        if (lens[s] < 0) {
            total = -1;
            break;
        }
        total += (Py_ssize_t)lens[s];
    }
    if (total != a->n_tokens || a->out.len != per_token * (per_label ? L : 1) * a->n_tokens) {
        PyErr_SetString(PyExc_ValueError, "lengths do not match the scores or the output");
        release(a);
        return -1;
    }
    return 0;
}

static PyObject *viterbi(PyObject *self, PyObject *args) {
    Args a;
    if (parse(args, &a, (Py_ssize_t)sizeof(int64_t), 0) < 0)
        return NULL;
    const Py_ssize_t L = a.n_labels;
    const double *score = (const double *)a.scores.buf;
    const double *trans = (const double *)a.trans.buf;
    const int64_t *lens = (const int64_t *)a.lengths.buf;
    int64_t *path = (int64_t *)a.out.buf;
    Py_ssize_t longest = 0;
    for (Py_ssize_t s = 0; s < a.n_seq; s++)
        if (lens[s] > longest)
            longest = (Py_ssize_t)lens[s];
    double *delta = malloc(sizeof(double) * 2 * L);
    int32_t *back = malloc(sizeof(int32_t) * (size_t)(longest > 0 ? longest : 1) * L);
    if (delta == NULL || back == NULL) {
        free(delta);
        free(back);
        release(&a);
        return PyErr_NoMemory();
    }
    Py_BEGIN_ALLOW_THREADS;
    double *cur = delta, *nxt = delta + L;
    Py_ssize_t at = 0;
    for (Py_ssize_t s = 0; s < a.n_seq; s++) {
        const Py_ssize_t n = (Py_ssize_t)lens[s];
        if (n == 0)
            continue;
        const double *sc = score + at * L;
        for (Py_ssize_t j = 0; j < L; j++)
            cur[j] = sc[j];
        for (Py_ssize_t t = 1; t < n; t++) {
            for (Py_ssize_t j = 0; j < L; j++) {
                double best = cur[0] + trans[j];
                int32_t arg = 0;
                for (Py_ssize_t i = 1; i < L; i++) {
                    double c = cur[i] + trans[i * L + j];
                    if (c > best) {
                        best = c;
                        arg = (int32_t)i;
                    }
                }
                nxt[j] = best + sc[t * L + j];
                back[t * L + j] = arg;
            }
            double *tmp = cur;
            cur = nxt;
            nxt = tmp;
        }
        int32_t y = 0;
        for (Py_ssize_t j = 1; j < L; j++)
            if (cur[j] > cur[y])
                y = (int32_t)j;
        path[at + n - 1] = y;
        for (Py_ssize_t t = n - 1; t > 0; t--) {
            y = back[t * L + y];
            path[at + t - 1] = y;
        }
        at += n;
    }
    Py_END_ALLOW_THREADS;
    free(delta);
    free(back);
    release(&a);
    Py_RETURN_NONE;
}

static PyObject *marginals(PyObject *self, PyObject *args) {
    Args a;
    if (parse(args, &a, (Py_ssize_t)sizeof(double), 1) < 0)
        return NULL;
    const Py_ssize_t L = a.n_labels;
    const double *score = (const double *)a.scores.buf;
    const double *trans = (const double *)a.trans.buf;
    const int64_t *lens = (const int64_t *)a.lengths.buf;
    double *prob = (double *)a.out.buf;
    double *work = malloc(sizeof(double) * (size_t)L * (L + 3));
    double *pot = NULL;
    if (work != NULL)
        pot = malloc(sizeof(double) * (size_t)(a.n_tokens > 0 ? a.n_tokens : 1) * L);
    if (work == NULL || pot == NULL) {
        free(work);
        free(pot);
        release(&a);
        return PyErr_NoMemory();
    }
    Py_BEGIN_ALLOW_THREADS;
    double *edge = work, *bwd = work + L * L, *nb = bwd + L, *tmp = nb + L;
    double tmax = trans[0];
    for (Py_ssize_t k = 1; k < L * L; k++)
        if (trans[k] > tmax)
            tmax = trans[k];
    for (Py_ssize_t k = 0; k < L * L; k++)
        edge[k] = exp(trans[k] - tmax);
    /* a constant per token does not change a marginal; it keeps exp() in range */
    for (Py_ssize_t t = 0; t < a.n_tokens; t++) {
        const double *sc = score + t * L;
        double m = sc[0];
        for (Py_ssize_t j = 1; j < L; j++)
            if (sc[j] > m)
                m = sc[j];
        for (Py_ssize_t j = 0; j < L; j++)
            pot[t * L + j] = exp(sc[j] - m);
    }
    Py_ssize_t at = 0;
    for (Py_ssize_t s = 0; s < a.n_seq; s++) {
        const Py_ssize_t n = (Py_ssize_t)lens[s];
        if (n == 0)
            continue;
        const double *p = pot + at * L;
        double *fwd = prob + at * L; /* forward messages first, then the marginals */
        double z = 0.0;
        for (Py_ssize_t j = 0; j < L; j++)
            z += p[j];
        for (Py_ssize_t j = 0; j < L; j++)
            fwd[j] = p[j] / z;
        for (Py_ssize_t t = 1; t < n; t++) {
            const double *prev = fwd + (t - 1) * L;
            double *f = fwd + t * L;
            for (Py_ssize_t j = 0; j < L; j++)
                f[j] = 0.0;
            for (Py_ssize_t i = 0; i < L; i++) {
                const double v = prev[i];
                const double *e = edge + i * L;
                for (Py_ssize_t j = 0; j < L; j++)
                    f[j] += v * e[j];
            }
            z = 0.0;
            for (Py_ssize_t j = 0; j < L; j++) {
                f[j] *= p[t * L + j];
                z += f[j];
            }
            for (Py_ssize_t j = 0; j < L; j++)
                f[j] /= z;
        }
        /* backward: the message is all ones at the last token */
        for (Py_ssize_t j = 0; j < L; j++)
            bwd[j] = 1.0;
        for (Py_ssize_t t = n - 1; t >= 0; t--) {
            double *f = fwd + t * L;
            z = 0.0;
            for (Py_ssize_t j = 0; j < L; j++) {
                f[j] *= bwd[j];
                z += f[j];
            }
            for (Py_ssize_t j = 0; j < L; j++)
                f[j] /= z;
            if (t == 0)
                break;
            for (Py_ssize_t j = 0; j < L; j++)
                tmp[j] = p[t * L + j] * bwd[j];
            z = 0.0;
            for (Py_ssize_t i = 0; i < L; i++) {
                const double *e = edge + i * L;
                double v = 0.0;
                for (Py_ssize_t j = 0; j < L; j++)
                    v += tmp[j] * e[j];
                nb[i] = v;
                z += v;
            }
            for (Py_ssize_t i = 0; i < L; i++)
                bwd[i] = nb[i] / z;
        }
        at += n;
    }
    Py_END_ALLOW_THREADS;
    free(work);
    free(pot);
    release(&a);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"viterbi", viterbi, METH_VARARGS,
     "viterbi(scores, lengths, trans, out, n_labels): best label id of every token into out "
     "(int64)."},
    {"marginals", marginals, METH_VARARGS,
     "marginals(scores, lengths, trans, out, n_labels): P(label at token) into out (float64)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_crfc", "CRF decoding loops (see lagebild.crf).", -1, methods,
};

PyMODINIT_FUNC PyInit__crfc(void) { return PyModule_Create(&module); }
