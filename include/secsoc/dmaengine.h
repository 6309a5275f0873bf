/*
 * dmaengine.h - the DMA engine framework of <linux/dmaengine.h>: providers
 * register a dma_device with channels; clients request a channel by name
 * from their device-tree node (dmas/dma-names), configure it, prepare
 * descriptors, submit them (cookies), issue them, and learn of completion
 * through callbacks and dmaengine_tx_status().
 *
 * Client-mode descriptor metadata (DESC_METADATA_CLIENT) is how the BAM
 * locking series hands the scratchpad address to the BAM driver:
 * dmaengine_desc_attach_metadata() calls the provider's metadata_ops->attach.
 *
 * Limits: DMA_DEVICES_MAX registered devices, DMA_CHANNELS_MAX channels each.
 */
#ifndef SECSOC_DMAENGINE_H
#define SECSOC_DMAENGINE_H

#include <secsoc/device.h>
#include <secsoc/dma-mapping.h>
#include <secsoc/err.h>
#include <secsoc/list.h>
#include <secsoc/scatterlist.h>

#define DMA_DEVICES_MAX 16
#define DMA_CHANNELS_MAX 64
#define DMA_MIN_COOKIE 1

/* Linux's kernel-internal "not supported" errno (the C library has none). */
#ifndef ENOTSUPP
#define ENOTSUPP 524
#endif

typedef s32 dma_cookie_t;

static inline int dma_submit_error(dma_cookie_t cookie)
{
	return cookie < 0 ? cookie : 0;
}

enum dma_status {
	DMA_COMPLETE,
	DMA_IN_PROGRESS,
	DMA_PAUSED,
	DMA_ERROR,
	DMA_OUT_OF_ORDER,
};

enum dma_transaction_type {
	DMA_MEMCPY,
	DMA_SLAVE,
	DMA_PRIVATE,
	DMA_TX_TYPE_END,
};

enum dma_transfer_direction {
	DMA_MEM_TO_MEM,
	DMA_MEM_TO_DEV,
	DMA_DEV_TO_MEM,
	DMA_DEV_TO_DEV,
	DMA_TRANS_NONE,
};

static inline bool is_slave_direction(enum dma_transfer_direction direction)
{
	return direction == DMA_MEM_TO_DEV || direction == DMA_DEV_TO_MEM;
}

/* dmaengine_prep_* flags. */
enum dma_ctrl_flags {
	DMA_PREP_INTERRUPT = (1 << 0),
	DMA_CTRL_ACK = (1 << 1),
	DMA_PREP_PQ_DISABLE_P = (1 << 2),
	DMA_PREP_PQ_DISABLE_Q = (1 << 3),
	DMA_PREP_CONTINUE = (1 << 4),
	DMA_PREP_FENCE = (1 << 5),
	DMA_CTRL_REUSE = (1 << 6),
	DMA_PREP_CMD = (1 << 7),
	DMA_PREP_REPEAT = (1 << 8),
	DMA_PREP_LOAD_EOT = (1 << 9),
};

enum dma_slave_buswidth {
	DMA_SLAVE_BUSWIDTH_UNDEFINED = 0,
	DMA_SLAVE_BUSWIDTH_1_BYTE = 1,
	DMA_SLAVE_BUSWIDTH_2_BYTES = 2,
	DMA_SLAVE_BUSWIDTH_4_BYTES = 4,
	DMA_SLAVE_BUSWIDTH_8_BYTES = 8,
};

enum dma_residue_granularity {
	DMA_RESIDUE_GRANULARITY_DESCRIPTOR = 0,
	DMA_RESIDUE_GRANULARITY_SEGMENT = 1,
	DMA_RESIDUE_GRANULARITY_BURST = 2,
};

enum dma_desc_metadata_mode {
	DESC_METADATA_NONE = 0,
	DESC_METADATA_CLIENT = BIT(0),
	DESC_METADATA_ENGINE = BIT(1),
};

struct dma_slave_config {
	enum dma_transfer_direction direction;
	phys_addr_t src_addr;
	phys_addr_t dst_addr;
	enum dma_slave_buswidth src_addr_width;
	enum dma_slave_buswidth dst_addr_width;
	u32 src_maxburst;
	u32 dst_maxburst;
	bool device_fc;
};

struct dma_slave_caps {
	u32 src_addr_widths;
	u32 dst_addr_widths;
	u32 directions;
	u32 max_burst;
	bool cmd_pause;
	bool cmd_resume;
	bool cmd_terminate;
	enum dma_residue_granularity residue_granularity;
	bool descriptor_reuse;
	unsigned int max_sg_burst;
};

enum dmaengine_tx_result {
	DMA_TRANS_NOERROR = 0,
	DMA_TRANS_READ_FAILED,
	DMA_TRANS_WRITE_FAILED,
	DMA_TRANS_ABORTED,
};

struct dmaengine_result {
	enum dmaengine_tx_result result;
	u32 residue;
};

struct dma_tx_state {
	dma_cookie_t last;
	dma_cookie_t used;
	u32 residue;
	u32 in_flight_bytes;
};

struct dma_chan;
struct dma_device;
struct dma_async_tx_descriptor;

typedef void (*dma_async_tx_callback)(void *param);
typedef void (*dma_async_tx_callback_result)(void *param,
					     const struct dmaengine_result *result);

/* Provider hooks for client metadata (only attach is used by the BAM series). */
struct dma_descriptor_metadata_ops {
	int (*attach)(struct dma_async_tx_descriptor *desc, void *data, size_t len);
	void *(*get_ptr)(struct dma_async_tx_descriptor *desc, size_t *payload_len,
			 size_t *max_len);
	int (*set_len)(struct dma_async_tx_descriptor *desc, size_t payload_len);
};

struct dma_async_tx_descriptor {
	dma_cookie_t cookie;
	enum dma_ctrl_flags flags;
	struct dma_chan *chan;
	dma_cookie_t (*tx_submit)(struct dma_async_tx_descriptor *tx);
	int (*desc_free)(struct dma_async_tx_descriptor *tx);
	dma_async_tx_callback callback;
	dma_async_tx_callback_result callback_result;
	void *callback_param;
	const struct dma_descriptor_metadata_ops *metadata_ops;
	enum dma_desc_metadata_mode desc_metadata_mode;
};

struct dma_chan {
	struct dma_device *device;
	struct device *slave;		/* the client's device, while requested */
	dma_cookie_t cookie;		/* last cookie assigned */
	dma_cookie_t completed_cookie;
	int chan_id;
	int client_count;
	const char *name;		/* the dma-names entry it was requested by */
	struct list_head device_node;	/* on device->channels */
	void *private;
};

struct dma_device {
	struct device *dev;
	struct list_head channels;
	unsigned int chancnt;
	u32 cap_mask;			/* BIT(enum dma_transaction_type) */
	u32 directions;			/* BIT(enum dma_transfer_direction) */
	u32 src_addr_widths;
	u32 dst_addr_widths;
	u32 max_burst;
	enum dma_residue_granularity residue_granularity;
	enum dma_desc_metadata_mode desc_metadata_modes;
	bool descriptor_reuse;
	unsigned int max_seg_size;	/* largest segment a descriptor can carry */
	struct list_head global_node;	/* on the framework's device list */

	int (*device_alloc_chan_resources)(struct dma_chan *chan);
	void (*device_free_chan_resources)(struct dma_chan *chan);
	struct dma_async_tx_descriptor *(*device_prep_slave_sg)(
		struct dma_chan *chan, struct scatterlist *sgl, unsigned int sg_len,
		enum dma_transfer_direction direction, unsigned long flags, void *context);
	int (*device_config)(struct dma_chan *chan, struct dma_slave_config *config);
	int (*device_pause)(struct dma_chan *chan);
	int (*device_resume)(struct dma_chan *chan);
	int (*device_terminate_all)(struct dma_chan *chan);
	void (*device_synchronize)(struct dma_chan *chan);
	enum dma_status (*device_tx_status)(struct dma_chan *chan, dma_cookie_t cookie,
					    struct dma_tx_state *txstate);
	void (*device_issue_pending)(struct dma_chan *chan);
};

#define dma_cap_set(tx, mask) ((mask) |= BIT(tx))
#define dma_cap_zero(mask) ((mask) = 0)

/* ---- providers ---- */

/**
 * dma_async_device_register - make @device's channels available
 *
 * Return: 0, -EINVAL for a device without dev, channels or mandatory ops
 * (device_issue_pending, device_tx_status, and device_prep_slave_sg for
 * DMA_SLAVE), -ENOSPC beyond DMA_DEVICES_MAX.
 */
int dma_async_device_register(struct dma_device *device);
/** dma_async_device_unregister - remove @device; its channels must be free */
void dma_async_device_unregister(struct dma_device *device);

/* Translation of a one-cell "dmas" specifier into a channel. */
struct of_phandle_args {
	const struct dt_node *np;
	unsigned int args_count;
	u32 args[8];
};

/*
 * An xlate returns the channel (dma_get_slave_channel()), NULL if it is
 * taken, or an ERR_PTR (-EINVAL for a bad specifier) that
 * dma_request_chan() passes on.
 */
typedef struct dma_chan *(*of_dma_xlate_fn)(struct of_phandle_args *spec, void *data);

/**
 * of_dma_controller_register - let clients whose "dmas" point at @np find
 * channels through @xlate
 * Return: 0, -EINVAL, -EEXIST if @np is already registered, -ENOSPC.
 */
int of_dma_controller_register(const struct dt_node *np, of_dma_xlate_fn xlate, void *data);
void of_dma_controller_free(const struct dt_node *np);
/** dma_get_slave_channel - claim @chan for a client. Return: @chan, or NULL if taken */
struct dma_chan *dma_get_slave_channel(struct dma_chan *chan);

/* Cookie helpers for providers (drivers/dma/dmaengine.h in Linux). */
static inline void dma_cookie_init(struct dma_chan *chan)
{
	chan->cookie = DMA_MIN_COOKIE;
	chan->completed_cookie = DMA_MIN_COOKIE;
}

/** dma_cookie_assign - give @tx the channel's next cookie (wraps to DMA_MIN_COOKIE) */
dma_cookie_t dma_cookie_assign(struct dma_async_tx_descriptor *tx);
/** dma_cookie_complete - @tx finished: it becomes the channel's completed cookie */
void dma_cookie_complete(struct dma_async_tx_descriptor *tx);
/** dma_cookie_status - DMA_COMPLETE or DMA_IN_PROGRESS for @cookie; fills @state */
enum dma_status dma_cookie_status(struct dma_chan *chan, dma_cookie_t cookie,
				  struct dma_tx_state *state);
static inline void dma_set_residue(struct dma_tx_state *state, u32 residue)
{
	if (state)
		state->residue = residue;
}

/** dma_async_tx_descriptor_init - link @tx to @chan */
static inline void dma_async_tx_descriptor_init(struct dma_async_tx_descriptor *tx,
						struct dma_chan *chan)
{
	tx->chan = chan;
}

/**
 * dmaengine_desc_callback_invoke - run @tx's completion callback (the
 * result one if set) with @result (NULL means success, residue 0)
 */
void dmaengine_desc_callback_invoke(struct dma_async_tx_descriptor *tx,
				    const struct dmaengine_result *result);

/* ---- clients ---- */

/**
 * dma_request_chan - the channel named @name in @dev's dma-names
 *
 * Return: the channel, or an ERR_PTR: -ENODEV (no dmas/dma-names entry of
 * that name), -EPROBE_DEFER (its controller has not registered yet),
 * -EBUSY (the channel is taken), -EINVAL (a bad specifier), or the
 * provider's alloc_chan_resources error.
 */
struct dma_chan *dma_request_chan(struct device *dev, const char *name);
/** dma_release_channel - give @chan back (terminate first) */
void dma_release_channel(struct dma_chan *chan);

int dmaengine_slave_config(struct dma_chan *chan, struct dma_slave_config *config);
/** dmaengine_prep_slave_sg - a descriptor for @sgl, or NULL when the provider refuses */
struct dma_async_tx_descriptor *dmaengine_prep_slave_sg(struct dma_chan *chan,
							struct scatterlist *sgl,
							unsigned int sg_len,
							enum dma_transfer_direction dir,
							unsigned long flags);
/** dmaengine_submit - queue @desc; returns its cookie (negative on error) */
dma_cookie_t dmaengine_submit(struct dma_async_tx_descriptor *desc);
/** dma_async_issue_pending - start the submitted descriptors of @chan */
void dma_async_issue_pending(struct dma_chan *chan);
enum dma_status dmaengine_tx_status(struct dma_chan *chan, dma_cookie_t cookie,
				    struct dma_tx_state *state);
/** dma_async_is_tx_complete - status of @cookie without residue */
enum dma_status dma_async_is_tx_complete(struct dma_chan *chan, dma_cookie_t cookie);
int dmaengine_pause(struct dma_chan *chan);
int dmaengine_resume(struct dma_chan *chan);
/** dmaengine_terminate_async - abort everything on @chan; callbacks may still run */
int dmaengine_terminate_async(struct dma_chan *chan);
/** dmaengine_synchronize - wait until no callback of @chan runs any more */
void dmaengine_synchronize(struct dma_chan *chan);
/** dmaengine_terminate_sync - terminate_async + synchronize */
int dmaengine_terminate_sync(struct dma_chan *chan);
/** dmaengine_terminate_all - the deprecated name of terminate_sync */
int dmaengine_terminate_all(struct dma_chan *chan);
/**
 * dmaengine_desc_attach_metadata - hand @len bytes at @data to the provider
 * for @desc (DESC_METADATA_CLIENT)
 *
 * Return: the provider's attach result; -EINVAL for a NULL descriptor,
 * -EPERM if the provider does not support client metadata.
 */
int dmaengine_desc_attach_metadata(struct dma_async_tx_descriptor *desc, void *data,
				   size_t len);
int dma_get_slave_caps(struct dma_chan *chan, struct dma_slave_caps *caps);

#endif /* SECSOC_DMAENGINE_H */
