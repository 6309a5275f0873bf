/*
 * bam_lock.pml - the BAM pipe-lock protocol between Linux and the secure
 * world, as a Promela model for SPIN. It mirrors the C model (hw/bam.c,
 * hw/bam_pipe.c, hw/qce*.c, drivers/dma/bam_dma_lock.c,
 * drivers/crypto/qce/common.c, tee/tee_bam.c, scenarios/checker.c) at the
 * level of whole protocol events, so that SPIN and `secsoc explore` can be
 * compared: the verdict of each lock policy and its shortest
 * counterexample. docs/exploration.md maps each process and step to the C
 * function it stands for; tests/model/spin_check.sh checks the verdicts
 * against model/expected.txt.
 *
 * Two execution environments share one crypto engine, each through its
 * own input pipe (the one that carries commands and lock descriptors), and
 * each pipe in a lock group of its own:
 *   EE 0  Linux, with the lock policy chosen at build time;
 *   EE 1  the secure world: always [LOCK][CFG ... GO][DATA+NWD][UNLOCK].
 *
 * Switches (spin -D..., also passed to spin -t when replaying a trail):
 *   POLICY_NONE | POLICY_V12 | POLICY_NWD  Linux's lock policy (default nwd)
 *   REQS=n    requests per EE, one after the other (default 1)
 *   NCFG=n    configuration writes per operation before GO (default 2)
 *   NO_INV3   do not check invariant 3, to see its downstream symptom
 *   NO_INV4   policy none: leave out the schedules in which Linux's CPU
 *             aborts (invariant 4), to see what else goes wrong
 *
 * Each step of each process is one d_step: one protocol event. A trail of
 * N steps is a counterexample of length N, and `spin -t` prints one line
 * per event followed by the abstract state after it.
 */

#if defined(POLICY_NONE) + defined(POLICY_V12) + defined(POLICY_NWD) > 1
#error "choose one of POLICY_NONE, POLICY_V12, POLICY_NWD"
#endif
#if !defined(POLICY_NONE) && !defined(POLICY_V12) && !defined(POLICY_NWD)
#define POLICY_NWD
#endif
#ifndef REQS
#define REQS 1
#endif
#ifndef NCFG
#define NCFG 2
#endif

#define LINUX	0
#define TEE	1
#define NONE	(-1)		/* no EE: BAM_NO_EE */
/* A whole transaction, plus the previous one's UNLOCK still queued. */
#define QLEN	(NCFG + 6)

/* Descriptor kinds: LOCK and UNLOCK command descriptors, a configuration write, GOPROC, data. */
mtype = { LOCK, CFG, GO, DATA, UNLOCK };

/* ---- the abstract state SPIN and `secsoc explore` both report ---- */
short lock_owner = NONE;	/* EE whose pipe holds the BAM lock */
bool ce_busy;			/* the engine runs an operation: GO .. done */
short ce_owner = NONE;		/* EE whose GO started it */
short cfg_owner = NONE;		/* EE whose configuration is loaded */
bool ce_fed;			/* the operation's input has arrived */
byte head[2];			/* per pipe: descriptors executed */
bool nwd_wait[2];		/* per pipe: held by an NWD until the engine is done */
byte issued[2];			/* per EE: requests the driver has started */
byte done[2];			/* per EE: operations the engine has finished */
bool drv_locked;		/* v12: Linux's channel counts as locked (bam_locked) */

/* Each EE's input pipe: its descriptor FIFO of {kind, NWD flag}. */
chan fifo[2] = [QLEN] of { mtype, bit };

/* The other EE's pipes sit in another lock group: they wait while it holds the lock. */
#define gate(p)		(lock_owner == NONE || lock_owner == (p))
#define data_at_head(p)	(fifo[p]?[DATA, 0] || fifo[p]?[DATA, 1])
/* The engine takes input only for the operation it runs (qce_din_space). */
#define data_taken(p)	(ce_busy && ce_owner == (p) && !ce_fed)
#define pipe_ready(p)	(nempty(fifo[p]) && gate(p) && !nwd_wait[p] && \
			 (!data_at_head(p) || data_taken(p)))

/* The state after each event, for a readable trail. */
inline print_state()
{
	printf("      lock_owner=%d ce_busy=%d ce_owner=%d cfg_owner=%d head=[%d %d]\n",
	       lock_owner, ce_busy, ce_owner, cfg_owner, head[0], head[1])
}

/* ---- the engine's register checks (hw/qce.c, scenarios/checker.c) ---- */

/* Invariant 2: no write from one EE while the engine runs another EE's operation. */
inline check_inv2(e)
{
	if
	:: ce_busy && ce_owner != e ->
		printf("invariant 2 violated: EE %d writes config while EE %d's operation runs\n",
		       e, ce_owner);
		assert(!ce_busy || ce_owner == e)
	:: else -> skip
	fi
}

/* A configuration write: the configuration loaded is now @e's (qce_config_ee). */
inline cfg_write(e)
{
	check_inv2(e);
	cfg_owner = e
}

/*
 * GOPROC: checked like a configuration write, but it loads no settings.
 * An operation on another EE's settings would compute the wrong output,
 * which the C model's checker reports as invariant 1.
 */
inline go(e)
{
	check_inv2(e);
	if
	:: cfg_owner != e ->
		printf("invariant 1 violated: EE %d starts an operation on EE %d's configuration\n",
		       e, cfg_owner);
		assert(cfg_owner == e)
	:: else -> skip
	fi;
	ce_busy = true;
	ce_owner = e
}

/* ---- the drivers ---- */

/* The command part of a transaction: NCFG writes, then GOPROC (qce_start). */
inline post_cfg_go(p)
{
	i = 0;
	do
	:: i < NCFG -> fifo[p]!CFG, 0; i++
	:: else -> break
	od;
	i = 0;
	fifo[p]!GO, 0
}

/* [LOCK][CFG ... GO][DATA+NWD][UNLOCK] in one P_EVNT_REG write. */
inline post_locked(p)
{
	fifo[p]!LOCK, 0;
	post_cfg_go(p);
	fifo[p]!DATA, 1;
	fifo[p]!UNLOCK, 0
}

/* The completion callback: the next request may start. */
#define complete(e) \
	d_step { \
		waiting && done[e] == issued[e] && cpu_may(e) -> \
		printf("EE %d driver: request %d completes\n", e, done[e]); \
		CPU_STATUS_READ(e); \
		waiting = false; \
		print_state() \
	}

#ifdef POLICY_NONE
/* While another EE holds the lock, a CPU access to the engine is an external abort. */
inline cpu_access()
{
	if
	:: lock_owner != NONE && lock_owner != LINUX ->
		printf("invariant 4 violated: Linux's CPU aborts: EE %d holds the lock\n",
		       lock_owner);
		assert(lock_owner == NONE || lock_owner == LINUX)
	:: else -> skip
	fi
}
/* Mainline reads STATUS with the CPU at completion (qce_check_status). */
#define CPU_STATUS_READ(e) if :: e == LINUX -> cpu_access() :: else -> skip fi
#else
#define CPU_STATUS_READ(e) skip
#endif

/* NO_INV4: assume Linux's CPU touches the engine only while the lock is free or its own. */
#ifdef NO_INV4
#define cpu_may(e)	((e) != LINUX || lock_owner == NONE || lock_owner == LINUX)
#else
#define cpu_may(e)	true
#endif

/*
 * Linux (EE 0). The QCE driver has one request in flight: it starts one,
 * waits for its completion, then starts the next.
 */
active proctype linux_drv()
{
	byte i;
	bool waiting;

	do
#if defined(POLICY_NONE)
	/* qce_run_cpu: queue the data, then program and start the engine with the CPU. */
	:: d_step {
		!waiting && issued[LINUX] < REQS && cpu_may(LINUX) ->
		printf("EE 0 driver: posts [DATA]; its CPU writes %d registers and GO\n", NCFG);
		fifo[LINUX]!DATA, 0;
		cpu_access();
		do
		:: i < NCFG -> cfg_write(LINUX); i++
		:: else -> break
		od;
		i = 0;
		go(LINUX);
		issued[LINUX]++;
		waiting = true;
		print_state()
	   }
#elif defined(POLICY_V12)
	/* bam_lock_issue_pending: a LOCK in front, unless the channel counts as locked. */
	:: d_step {
		!waiting && issued[LINUX] < REQS ->
		if
		:: !drv_locked ->
			printf("EE 0 driver: posts [LOCK][CFG x %d][GO][DATA]\n", NCFG);
			fifo[LINUX]!LOCK, 0;
			drv_locked = true
		:: else ->
			printf("EE 0 driver: posts [CFG x %d][GO][DATA]\n", NCFG)
		fi;
		post_cfg_go(LINUX);
		fifo[LINUX]!DATA, 0;
		issued[LINUX]++;
		waiting = true;
		print_state()
	   }
	/* bam_lock_bh: any later bottom half appends UNLOCK: nothing is left to issue. */
	:: d_step {
		drv_locked ->
		printf("EE 0 bottom half: posts [UNLOCK]\n");
		fifo[LINUX]!UNLOCK, 0;
		drv_locked = false;
		print_state()
	   }
#else
	/* bam_lock_wrap: LOCK .. UNLOCK around the transaction; NWD on its last data. */
	:: d_step {
		!waiting && issued[LINUX] < REQS ->
		printf("EE 0 driver: posts [LOCK][CFG x %d][GO][DATA+NWD][UNLOCK]\n", NCFG);
		post_locked(LINUX);
		issued[LINUX]++;
		waiting = true;
		print_state()
	   }
#endif
	:: complete(LINUX)
	:: !waiting && issued[LINUX] == REQS && !drv_locked -> break
	od
}

/* The secure world (EE 1): always LOCK .. NWD .. UNLOCK (tee/tee_bam.c). */
active proctype tee_drv()
{
	byte i;
	bool waiting;

	do
	:: d_step {
		!waiting && issued[TEE] < REQS ->
		printf("EE 1 driver: posts [LOCK][CFG x %d][GO][DATA+NWD][UNLOCK]\n", NCFG);
		post_locked(TEE);
		issued[TEE]++;
		waiting = true;
		print_state()
	   }
	:: complete(TEE)
	:: !waiting && issued[TEE] == REQS -> break
	od
}

/* ---- the hardware ---- */

/* Execute the descriptor at the head of pipe @p (hw/bam_pipe.c). */
inline execute(p)
{
	fifo[p]?kind, nwd;
	head[p]++;
	if
	:: nwd -> printf("pipe %d: executes %e+NWD\n", p, kind)
	:: else -> printf("pipe %d: executes %e\n", p, kind)
	fi;
	if
	:: kind == LOCK ->
		assert(lock_owner == NONE);	/* a nested LOCK halts the pipe (take_lock) */
		lock_owner = p
	:: kind == CFG -> cfg_write(p)
	:: kind == GO -> go(p)
	:: kind == DATA ->
		ce_fed = true;
		nwd_wait[p] = nwd
	:: kind == UNLOCK ->
		assert(lock_owner == p);	/* so does a stray UNLOCK (release_lock) */
#ifndef NO_INV3
		if
		:: ce_busy && ce_owner == p ->
			printf("invariant 3 violated: EE %d's UNLOCK, its operation in flight\n",
			       p);
			assert(!(ce_busy && ce_owner == p))
		:: else -> skip
		fi;
#endif
		lock_owner = NONE
	fi;
	kind = 0;
	nwd = 0;
	print_state()
}

/*
 * The BAM: a pipe that may run executes the descriptor at its head, as
 * one step. It may run while no other lock group holds the lock and no
 * NWD holds it; data waits until the engine takes it.
 */
active proctype bam()
{
	mtype kind;
	bit nwd;

end:	do
	:: d_step { pipe_ready(LINUX) -> execute(LINUX) }
	:: d_step { pipe_ready(TEE) -> execute(TEE) }
	od
}

/*
 * The engine finishes an operation whose input has arrived, at any later
 * step. The output leaves through the owner's output pipe, which the lock
 * gate holds up as well. "Done" releases the owner's NWD.
 */
active proctype engine()
{
end:	do
	:: d_step {
		ce_busy && ce_fed && gate(ce_owner) ->
		printf("engine: EE %d's operation is done\n", ce_owner);
		done[ce_owner]++;
		nwd_wait[ce_owner] = false;
		ce_busy = false;
		ce_fed = false;
		ce_owner = NONE;
		print_state()
	   }
	od
}
