/*
 * dmaengine.c - the DMA engine core (see include/secsoc/dmaengine.h):
 * provider registration, the of_dma translation table, channel requests by
 * dma-names, the client wrappers, cookies and completion callbacks.
 *
 * Owns the framework state: the list of registered dma_devices and the
 * table of of_dma controllers. There is one kernel at a time, so the state
 * is static and bounded by DMA_DEVICES_MAX; nothing is allocated, and every
 * register is undone by its unregister, so nothing is left at shutdown.
 * Misuse that Linux would WARN or BUG on (unregistering what was never
 * registered, releasing a channel nobody requested) is an always()
 * violation.
 */
#include <errno.h>
#include <string.h>

#include <secsoc/dmaengine.h>
#include <secsoc/interrupt.h>
#include <secsoc/sim.h>

_Static_assert(sizeof(((struct of_phandle_args *)0)->args) ==
	       sizeof(((struct dt_phandle_args *)0)->args),
	       "of_phandle_args must hold every DT specifier");

struct of_dma {
	const struct dt_node *np;
	of_dma_xlate_fn xlate;
	void *data;
};

static LIST_HEAD(dma_device_list);
static unsigned int nr_dma_devices;
static struct of_dma of_dma_table[DMA_DEVICES_MAX];

static bool dma_device_registered(const struct dma_device *device)
{
	const struct dma_device *d;

	list_for_each_entry(d, &dma_device_list, global_node)
		if (d == device)
			return true;
	return false;
}

static const char *dma_dev_name(const struct dma_device *device)
{
	return device->dev ? dev_name(device->dev) : "(no device)";
}

/* The checks of Linux's dma_async_device_register(), which says -EIO. */
static int dma_device_check(const struct dma_device *device)
{
	if (!device->dev || list_empty(&device->channels))
		return -EINVAL;
	if (!device->device_issue_pending || !device->device_tx_status)
		return -EINVAL;
	if ((device->cap_mask & BIT(DMA_SLAVE)) && !device->device_prep_slave_sg)
		return -EINVAL;
	return 0;
}

/* Number the channels in list order; each must belong to @device. */
static int dma_device_number_channels(struct dma_device *device)
{
	struct dma_chan *chan;
	unsigned int n = 0;

	list_for_each_entry(chan, &device->channels, device_node) {
		always(chan->device == device, "%s: channel %u belongs to another device",
		       dma_dev_name(device), n);
		if (chan->device != device || n == DMA_CHANNELS_MAX)
			return -EINVAL;
		chan->chan_id = (int)n++;
		chan->client_count = 0;
		chan->slave = NULL;
		chan->name = NULL;
	}
	device->chancnt = n;
	return 0;
}

/**
 * dma_async_device_register - make @device's channels available
 * @device: the provider's device, with its channels on ->channels
 *
 * Channels are numbered (chan_id) in list order and start unclaimed.
 * Registering a device twice is an always() violation (and -EINVAL).
 *
 * Return: 0, -EINVAL for a device without dev, channels or mandatory ops,
 * or with more than DMA_CHANNELS_MAX channels, -ENOSPC beyond
 * DMA_DEVICES_MAX devices.
 */
int dma_async_device_register(struct dma_device *device)
{
	bool again = dma_device_registered(device);
	int ret;

	always(!again, "dma_async_device_register(%s): already registered",
	       dma_dev_name(device));
	if (again)
		return -EINVAL;
	ret = dma_device_check(device);
	if (ret)
		return ret;
	if (nr_dma_devices == DMA_DEVICES_MAX)
		return -ENOSPC;
	ret = dma_device_number_channels(device);
	if (ret)
		return ret;
	list_add_tail(&device->global_node, &dma_device_list);
	nr_dma_devices++;
	return 0;
}

/**
 * dma_async_device_unregister - remove @device
 *
 * Its channels must have been released (Linux WARNs otherwise); a channel
 * still held, or a device that is not registered, is an always() violation.
 */
void dma_async_device_unregister(struct dma_device *device)
{
	bool registered = dma_device_registered(device);
	struct dma_chan *chan;

	always(registered, "dma_async_device_unregister(%s): not registered",
	       dma_dev_name(device));
	if (!registered)
		return;
	list_for_each_entry(chan, &device->channels, device_node)
		always(chan->client_count == 0, "%s: unregistered while channel %d is held by %s",
		       dma_dev_name(device), chan->chan_id,
		       chan->slave ? dev_name(chan->slave) : "?");
	list_del_init(&device->global_node);
	nr_dma_devices--;
}

static struct of_dma *of_dma_find(const struct dt_node *np)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(of_dma_table); i++)
		if (of_dma_table[i].np == np)
			return &of_dma_table[i];
	return NULL;
}

/**
 * of_dma_controller_register - let clients whose "dmas" point at @np find
 * channels through @xlate
 * @np: the controller's node
 * @xlate: turns a specifier into a claimed channel (dma_get_slave_channel());
 *	it returns NULL when the channel is taken, or an ERR_PTR (-EINVAL for a
 *	bad specifier), which dma_request_chan() passes on
 * @data: handed to @xlate
 *
 * Return: 0, -EINVAL for a NULL @np or @xlate, -EEXIST if @np is already
 * registered, -ENOSPC beyond DMA_DEVICES_MAX controllers.
 */
int of_dma_controller_register(const struct dt_node *np, of_dma_xlate_fn xlate, void *data)
{
	struct of_dma *slot;

	if (!np || !xlate)
		return -EINVAL;
	if (of_dma_find(np))
		return -EEXIST;
	slot = of_dma_find(NULL);
	if (!slot)
		return -ENOSPC;
	*slot = (struct of_dma){ .np = np, .xlate = xlate, .data = data };
	return 0;
}

/** of_dma_controller_free - forget @np's translation (it must be registered) */
void of_dma_controller_free(const struct dt_node *np)
{
	struct of_dma *ofdma = np ? of_dma_find(np) : NULL;

	always(ofdma, "of_dma_controller_free(%s): not registered", np ? np->path : "NULL");
	if (ofdma)
		*ofdma = (struct of_dma){ 0 };
}

/**
 * dma_get_slave_channel - @chan if no client holds it
 *
 * What a provider's xlate returns. The claim itself (client_count, the
 * slave device, alloc_chan_resources) is made by dma_request_chan(), so
 * that an allocation error reaches the client instead of becoming NULL.
 *
 * Return: @chan, or NULL if a client holds it.
 */
struct dma_chan *dma_get_slave_channel(struct dma_chan *chan)
{
	return chan->client_count ? NULL : chan;
}

/* The entry of @dev's "dmas" that dma-names calls @name, as a specifier. */
static int dma_find_spec(struct device *dev, const char *name, struct of_phandle_args *spec)
{
	struct secsoc_error err = { 0 };
	struct dt_phandle_args args;
	int idx, ret;

	idx = dt_prop_match_string(dev->of_node, "dma-names", name);
	if (idx == -EILSEQ) {
		dev_err(dev, "dma-names of %s is not a string list", dev->of_node->path);
		return -EINVAL;
	}
	if (idx < 0)
		return -ENODEV;
	ret = dt_parse_phandle_with_args(dev->of_node, "dmas", "#dma-cells", (unsigned int)idx,
					 &args, &err);
	if (ret == -EINVAL)
		dev_err(dev, "%s", err.msg);
	if (ret)
		return ret == -ENOENT ? -ENODEV : ret;
	spec->np = args.np;
	spec->args_count = args.nargs;
	memcpy(spec->args, args.args, sizeof(spec->args));
	return 0;
}

/* Take @chan for @dev: the first client allocates the channel's resources. */
static int dma_chan_claim(struct dma_chan *chan, struct device *dev, const char *name)
{
	int ret;

	chan->slave = dev;
	chan->name = name;
	if (++chan->client_count > 1 || !chan->device->device_alloc_chan_resources)
		return 0;
	ret = chan->device->device_alloc_chan_resources(chan);
	if (ret < 0) {
		chan->client_count--;
		chan->slave = NULL;
		chan->name = NULL;
		return ret;
	}
	return 0;
}

/**
 * dma_request_chan - the channel named @name in @dev's dma-names
 * @dev: the client; its node has "dmas" and "dma-names"
 * @name: the dma-names entry ("rx", "tx")
 *
 * As Linux's of_dma_request_slave_channel(), with the reasons kept apart:
 * a controller that has not called of_dma_controller_register() yet means
 * "try again later", and an xlate that returns NULL (dma_get_slave_channel()
 * found the channel held) means the channel is taken. A malformed
 * dma-names or dmas is recorded with dev_err().
 *
 * Return: the channel, or an ERR_PTR: -ENODEV (no dmas/dma-names entry of
 * that name), -EPROBE_DEFER (its controller has not registered yet),
 * -EBUSY (the channel is taken), -EINVAL (a bad specifier, or an error
 * xlate returned), or the provider's alloc_chan_resources error.
 */
struct dma_chan *dma_request_chan(struct device *dev, const char *name)
{
	struct of_phandle_args spec;
	struct of_dma *ofdma;
	struct dma_chan *chan;
	int ret;

	always(dev && dev->of_node && name, "dma_request_chan: no device, node or name");
	if (!dev || !dev->of_node || !name)
		return ERR_PTR(-EINVAL);
	ret = dma_find_spec(dev, name, &spec);
	if (ret)
		return ERR_PTR(ret);
	ofdma = of_dma_find(spec.np);
	if (!ofdma)
		return ERR_PTR(-EPROBE_DEFER);
	chan = ofdma->xlate(&spec, ofdma->data);
	if (IS_ERR(chan))
		return chan;
	if (!chan || chan->client_count)
		return ERR_PTR(-EBUSY);
	always(dma_device_registered(chan->device), "%s: xlate of %s returned a channel of an "
	       "unregistered device", dev_name(dev), spec.np->path);
	ret = dma_chan_claim(chan, dev, name);
	return ret ? ERR_PTR(ret) : chan;
}

/**
 * dma_release_channel - give @chan back
 *
 * The last client out waits for the channel's callbacks
 * (dmaengine_synchronize()) and frees its resources, as Linux's
 * dma_chan_put() does. Releasing a channel nobody holds is an always()
 * violation.
 */
void dma_release_channel(struct dma_chan *chan)
{
	bool held = chan && chan->client_count > 0;

	always(held, "dma_release_channel: channel %d not requested", chan ? chan->chan_id : -1);
	if (!held)
		return;
	if (--chan->client_count == 0) {
		dmaengine_synchronize(chan);
		if (chan->device->device_free_chan_resources)
			chan->device->device_free_chan_resources(chan);
	}
	chan->slave = NULL;
	chan->name = NULL;
}

/** dmaengine_slave_config - configure @chan. Return: the provider's result, or -ENOSYS */
int dmaengine_slave_config(struct dma_chan *chan, struct dma_slave_config *config)
{
	if (!chan->device->device_config)
		return -ENOSYS;
	return chan->device->device_config(chan, config);
}

struct dma_async_tx_descriptor *dmaengine_prep_slave_sg(struct dma_chan *chan,
							struct scatterlist *sgl,
							unsigned int sg_len,
							enum dma_transfer_direction dir,
							unsigned long flags)
{
	/* A released channel has no resources to prepare anything with. */
	if (!chan || !chan->client_count || !chan->device->device_prep_slave_sg)
		return NULL;
	return chan->device->device_prep_slave_sg(chan, sgl, sg_len, dir, flags, NULL);
}

dma_cookie_t dmaengine_submit(struct dma_async_tx_descriptor *desc)
{
	return desc->tx_submit(desc);
}

void dma_async_issue_pending(struct dma_chan *chan)
{
	chan->device->device_issue_pending(chan);
}

/** dmaengine_tx_status - the provider's status of @cookie, with residue in @state */
enum dma_status dmaengine_tx_status(struct dma_chan *chan, dma_cookie_t cookie,
				    struct dma_tx_state *state)
{
	return chan->device->device_tx_status(chan, cookie, state);
}

enum dma_status dma_async_is_tx_complete(struct dma_chan *chan, dma_cookie_t cookie)
{
	struct dma_tx_state state;

	return dmaengine_tx_status(chan, cookie, &state);
}

/** dmaengine_pause - pause @chan. Return: the provider's result, or -ENOSYS */
int dmaengine_pause(struct dma_chan *chan)
{
	if (!chan->device->device_pause)
		return -ENOSYS;
	return chan->device->device_pause(chan);
}

/** dmaengine_resume - resume @chan. Return: the provider's result, or -ENOSYS */
int dmaengine_resume(struct dma_chan *chan)
{
	if (!chan->device->device_resume)
		return -ENOSYS;
	return chan->device->device_resume(chan);
}

/** dmaengine_terminate_async - see dmaengine.h. Return: the provider's result, or -ENOSYS */
int dmaengine_terminate_async(struct dma_chan *chan)
{
	if (!chan->device->device_terminate_all)
		return -ENOSYS;
	return chan->device->device_terminate_all(chan);
}

/**
 * dmaengine_synchronize - wait until no callback of @chan runs any more
 *
 * It may sleep in Linux, so calling it from interrupt or bottom-half
 * context is an always() violation (might_sleep()).
 */
void dmaengine_synchronize(struct dma_chan *chan)
{
	always(!in_hardirq() && !in_softirq(), "dmaengine_synchronize in atomic context");
	if (chan->device->device_synchronize)
		chan->device->device_synchronize(chan);
}

int dmaengine_terminate_sync(struct dma_chan *chan)
{
	int ret = dmaengine_terminate_async(chan);

	if (ret)
		return ret;
	dmaengine_synchronize(chan);
	return 0;
}

int dmaengine_terminate_all(struct dma_chan *chan)
{
	return dmaengine_terminate_sync(chan);
}

/**
 * dmaengine_desc_attach_metadata - hand @len bytes at @data to the provider
 * for @desc (DESC_METADATA_CLIENT)
 *
 * A descriptor keeps the first metadata mode it is given, as in Linux;
 * this model reports both an unsupported and a mixed mode as -EPERM.
 *
 * Return: the provider's attach result; -EINVAL for a NULL descriptor;
 * -EPERM if the device lacks DESC_METADATA_CLIENT or @desc already uses
 * another mode; -ENOTSUPP if the descriptor has no metadata_ops->attach.
 */
int dmaengine_desc_attach_metadata(struct dma_async_tx_descriptor *desc, void *data,
				   size_t len)
{
	if (!desc)
		return -EINVAL;
	if (!(desc->chan->device->desc_metadata_modes & DESC_METADATA_CLIENT))
		return -EPERM;
	if (desc->desc_metadata_mode && desc->desc_metadata_mode != DESC_METADATA_CLIENT)
		return -EPERM;
	if (!desc->metadata_ops || !desc->metadata_ops->attach)
		return -ENOTSUPP;
	desc->desc_metadata_mode = DESC_METADATA_CLIENT;
	return desc->metadata_ops->attach(desc, data, len);
}

/**
 * dma_get_slave_caps - what @chan's device can do, from its fields
 *
 * Return: 0; -EINVAL for a NULL argument; -ENXIO if the device does no
 * slave transfers or reports no directions.
 */
int dma_get_slave_caps(struct dma_chan *chan, struct dma_slave_caps *caps)
{
	const struct dma_device *device;

	if (!chan || !caps)
		return -EINVAL;
	device = chan->device;
	if (!(device->cap_mask & BIT(DMA_SLAVE)) || !device->directions)
		return -ENXIO;
	*caps = (struct dma_slave_caps){
		.src_addr_widths = device->src_addr_widths,
		.dst_addr_widths = device->dst_addr_widths,
		.directions = device->directions,
		.max_burst = device->max_burst,
		.cmd_pause = device->device_pause != NULL,
		.cmd_resume = device->device_resume != NULL,
		.cmd_terminate = device->device_terminate_all != NULL,
		.residue_granularity = device->residue_granularity,
		.descriptor_reuse = device->descriptor_reuse,
		.max_sg_burst = 0,	/* no limit, as in Linux */
	};
	return 0;
}

/**
 * dma_cookie_assign - give @tx the channel's next cookie
 *
 * Cookies count up from DMA_MIN_COOKIE and wrap back to it after the
 * largest positive value (the increment is done unsigned: Linux relies on
 * -fno-strict-overflow for the same wrap).
 */
dma_cookie_t dma_cookie_assign(struct dma_async_tx_descriptor *tx)
{
	struct dma_chan *chan = tx->chan;
	dma_cookie_t cookie;

	cookie = (dma_cookie_t)((u32)chan->cookie + 1);
	if (cookie < DMA_MIN_COOKIE)
		cookie = DMA_MIN_COOKIE;
	tx->cookie = cookie;
	chan->cookie = cookie;
	return cookie;
}

/**
 * dma_cookie_complete - @tx finished: its cookie becomes the channel's
 * completed cookie and @tx forgets it (a descriptor completes once)
 */
void dma_cookie_complete(struct dma_async_tx_descriptor *tx)
{
	always(tx->cookie >= DMA_MIN_COOKIE, "dma_cookie_complete: descriptor has no cookie (%d)",
	       tx->cookie);
	tx->chan->completed_cookie = tx->cookie;
	tx->cookie = 0;
}

/*
 * Linux's dma_async_is_complete(): complete if @cookie is not after the
 * last completed one, in the window (last_complete, last_used] that may
 * wrap around.
 */
static enum dma_status dma_async_is_complete(dma_cookie_t cookie, dma_cookie_t last_complete,
					     dma_cookie_t last_used)
{
	if (last_complete <= last_used) {
		if (cookie <= last_complete || cookie > last_used)
			return DMA_COMPLETE;
	} else if (cookie <= last_complete && cookie > last_used) {
		return DMA_COMPLETE;
	}
	return DMA_IN_PROGRESS;
}

/**
 * dma_cookie_status - DMA_COMPLETE or DMA_IN_PROGRESS for @cookie
 * @state: if not NULL, gets the last completed and last used cookies and a
 *	zero residue (the provider fills in the residue of a pending cookie)
 */
enum dma_status dma_cookie_status(struct dma_chan *chan, dma_cookie_t cookie,
				  struct dma_tx_state *state)
{
	if (state) {
		state->last = chan->completed_cookie;
		state->used = chan->cookie;
		state->residue = 0;
		state->in_flight_bytes = 0;
	}
	return dma_async_is_complete(cookie, chan->completed_cookie, chan->cookie);
}

void dmaengine_desc_callback_invoke(struct dma_async_tx_descriptor *tx,
				    const struct dmaengine_result *result)
{
	static const struct dmaengine_result success = { .result = DMA_TRANS_NOERROR };

	if (tx->callback_result)
		tx->callback_result(tx->callback_param, result ? result : &success);
	else if (tx->callback)
		tx->callback(tx->callback_param);
}
