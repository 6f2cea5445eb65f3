/*
 * bench/scan/floor.c — the connect() floor of this machine: how fast can ANY connect scanner learn
 * the state of every TCP port of one IPv4 host here? A minimal C scanner with every trick portaudit's
 * native layer uses (non-blocking sockets, epoll, refused sockets connected again instead of closed
 * and reopened, one thread per core) and none of a real scanner's work (no timing model, no
 * congestion window, no output). Silent ports get nmap's -T4 rule on a lossless path: a first try,
 * one retransmission, 100 ms each. A portaudit/nmap ratio can never beat floor/nmap.
 * Scheduling is the best found by trying (2 cores, veth): a small window of YOUNG probes (sent in the
 * last millisecond, 64 per thread: more sockets in flight make each connect() dearer) and no limit
 * but the descriptor table on probes that have gone silent (they cost the kernel nothing until their
 * timeout), timeouts taken from a queue in send order instead of a scan of every socket.
 *
 * Build: cc -O2 -pthread -o floor floor.c      Run: floor IP FIRST_PORT LAST_PORT THREADS
 * Prints: seconds open closed filtered
 * Network safety: bench/scan/run only points it at its lab devices.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define WINDOW 64          /* young probes (sent less than YOUNG ago, unanswered) per thread */
#define YOUNG 0.001         /* seconds: on a veth the answer to a probe comes within ~50 us */
#define MAXFLIGHT 8192      /* all probes in flight per thread, silent ones included */
#define TIMEOUT 0.100       /* nmap -T4 minimum RTT timeout */
#define TRIES 2             /* first try + one retransmission */
#define QBITS 17            /* send-order queue: 2^17 > MAXFLIGHT + one second of sends */

static struct sockaddr_in dst;
static int first, last, nthreads;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

typedef struct { int port, tries; double sent; char old; } probe_t;
typedef struct { int id; long open, closed, filtered; } result_t;
typedef struct { int fd; double sent; } sent_t;

static void *scan(void *arg) {
    result_t *r = arg;
    int ep = epoll_create1(0);
    probe_t *byfd = calloc(1 << 20, sizeof *byfd);
    int *spare = malloc(sizeof(int) * MAXFLIGHT), nspare = 0;
    int *retry = malloc(sizeof(int) * 65536 * 2), nretry = 0;   /* port, tries pairs */
    /* every probe sent, in send order: head = oldest not yet timed out, aged = oldest still young */
    sent_t *q = malloc(sizeof(sent_t) << QBITS);
    long head = 0, aged = 0, tail = 0;
    const long mask = (1L << QBITS) - 1;
    /* this thread's ports (every nthreads-th), in a random order as nmap and portaudit probe them:
       in port order the dropped low ports would fill the window and wait together */
    int nports = 0, *order = malloc(sizeof(int) * 65536);
    for (int p = first + r->id; p <= last; p += nthreads) order[nports++] = p;
    srand(12345 + r->id);
    for (int i = nports - 1; i > 0; i--) { int k = rand() % (i + 1), t = order[i]; order[i] = order[k]; order[k] = t; }
    int next = 0, inflight = 0, old = 0;
    struct epoll_event evs[256];
    if (ep < 0 || !byfd || !spare || !retry || !order || !q) { perror("floor"); exit(1); }
    while (next < nports || nretry > 0 || inflight > 0) {
        double t = now();
        for (; aged < tail && t - q[aged & mask].sent >= YOUNG; aged++) {
            probe_t *b = &byfd[q[aged & mask].fd];
            if (b->sent == q[aged & mask].sent && !b->old) { b->old = 1; old++; }
        }
        while ((next < nports || nretry > 0) && inflight - old < WINDOW && inflight < MAXFLIGHT) {
            int port, tries;
            if (nretry > 0) { nretry--; port = retry[2 * nretry]; tries = retry[2 * nretry + 1]; }
            else { port = order[next++]; tries = 0; }
            int fd = nspare ? spare[--nspare] : socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            if (fd < 0) { perror("socket"); exit(1); }
            struct sockaddr_in a = dst;
            a.sin_port = htons(port);
            int rc = connect(fd, (void *)&a, sizeof a);
            if (rc < 0 && errno == ECONNABORTED) rc = connect(fd, (void *)&a, sizeof a);
            if (rc == 0) { r->open++; close(fd); continue; }
            if (errno == ECONNREFUSED) { r->closed++; close(fd); continue; }
            if (errno != EINPROGRESS) { r->filtered++; close(fd); continue; }   /* unreachable, blackholed */
            struct epoll_event ev = {.events = EPOLLOUT, .data.fd = fd};
            epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
            double s = now();
            byfd[fd] = (probe_t){port, tries + 1, s, 0};
            q[tail & mask] = (sent_t){fd, s};
            tail++;
            inflight++;
        }
        int n = epoll_wait(ep, evs, 256, 1);
        for (int i = 0; i < n; i++) {
            int fd = evs[i].data.fd;
            struct sockaddr_in a = dst;
            a.sin_port = htons(byfd[fd].port);
            int rc = connect(fd, (void *)&a, sizeof a);   /* 0/EISCONN: open; else the error */
            if (rc < 0 && (errno == EALREADY || errno == EINPROGRESS)) continue;
            epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
            if (byfd[fd].old) old--;
            byfd[fd].sent = 0;
            inflight--;
            if (rc == 0 || errno == EISCONN) { r->open++; close(fd); }
            else if (errno == ECONNREFUSED) { r->closed++; if (nspare < MAXFLIGHT) spare[nspare++] = fd; else close(fd); }
            else { r->filtered++; close(fd); }
        }
        t = now();
        for (; head < tail && t - q[head & mask].sent >= TIMEOUT; head++) {
            int fd = q[head & mask].fd;
            if (byfd[fd].sent != q[head & mask].sent) continue;   /* answered, socket used again */
            epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
            close(fd);
            if (byfd[fd].old) old--;
            inflight--;
            if (byfd[fd].tries < TRIES) { retry[2 * nretry] = byfd[fd].port; retry[2 * nretry + 1] = byfd[fd].tries; nretry++; }
            else r->filtered++;
            byfd[fd].sent = 0;
        }
        if (aged < head) aged = head;
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: floor IP FIRST_PORT LAST_PORT THREADS\n"); return 2; }
    dst.sin_family = AF_INET;
    if (inet_pton(AF_INET, argv[1], &dst.sin_addr) != 1) { fprintf(stderr, "floor: not an IPv4 address\n"); return 2; }
    first = atoi(argv[2]); last = atoi(argv[3]); nthreads = atoi(argv[4]);
    if (first < 1 || last > 65535 || first > last || nthreads < 1 || nthreads > 16) { fprintf(stderr, "floor: bad arguments\n"); return 2; }
    pthread_t th[16];
    result_t rs[16];
    memset(rs, 0, sizeof rs);
    double t0 = now();
    for (int i = 0; i < nthreads; i++) { rs[i].id = i; pthread_create(&th[i], NULL, scan, &rs[i]); }
    long o = 0, c = 0, f = 0;
    for (int i = 0; i < nthreads; i++) { pthread_join(th[i], NULL); o += rs[i].open; c += rs[i].closed; f += rs[i].filtered; }
    printf("%.3f %ld %ld %ld\n", now() - t0, o, c, f);
    return 0;
}
