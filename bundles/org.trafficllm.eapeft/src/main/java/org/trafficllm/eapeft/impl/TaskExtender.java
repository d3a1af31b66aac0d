package org.trafficllm.eapeft.impl;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Version;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;
import org.trafficllm.api.model.AdapterFiles;
import org.trafficllm.api.model.AdapterInfo;
import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.model.ClassificationRequest;
import org.trafficllm.api.model.ClassificationResult;
import org.trafficllm.api.model.GenerationRequest;
import org.trafficllm.api.model.GenerationResult;
import org.trafficllm.api.model.ModelException;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.task.TaskCatalog;
import org.trafficllm.api.task.TaskException;
import org.trafficllm.api.task.TaskKind;
import org.trafficllm.api.task.TaskRegistry;
import org.trafficllm.api.task.TaskState;
import org.trafficllm.api.task.dto.RouteDTO;
import org.trafficllm.api.task.dto.TaskAnswerDTO;
import org.trafficllm.api.task.dto.TaskDTO;
import org.trafficllm.api.task.dto.TaskDescriptorDTO;
import org.trafficllm.api.tuning.PromptFormat;
import org.trafficllm.api.tuning.TuningException;
import org.trafficllm.api.tuning.dto.PromptDTO;
import org.trafficllm.api.tuning.dto.PromptTokensDTO;

/**
 * The task extender and registry. A bundle tracker follows every bundle carrying
 * the {@code TrafficLLM-Task} header through its whole life. When such a bundle
 * becomes active, its content is exported, verified (no code, digests, signatures,
 * descriptor), its adapter loaded into the base model its base-model requirement is
 * wired to, and the new version starts serving; the version it replaces keeps its
 * adapter until its last request ends.
 *
 * <p>An update is a stop, a new revision and a start. The stop that opens it is
 * transient (the bundle stays persistently started), which tells it apart from a
 * user's stop or an uninstall, whose stop is persistent: so the previous version
 * keeps answering through the whole update window and is replaced only when the
 * new one has loaded, or keeps serving when the new one is refused or does not
 * resolve. A persistent stop or an uninstall ends the task at once.
 */
@Capability(namespace = BaseModelRequirement.EXTENDER_NAMESPACE, name = TaskRegistry.EXTENDER,
        version = TaskRegistry.EXTENDER_VERSION)
@Component(service = {TaskRegistry.class, TaskExtender.class}, immediate = true, configurationPid = TaskExtender.PID)
@Designate(ocd = TaskExtender.Config.class)
public class TaskExtender implements TaskRegistry {
    static final String PID = "org.trafficllm.eapeft";
    /** Framework property naming the runtime's work directory; kept task versions live under {@code tasks/}. */
    static final String WORK_PROPERTY = "trafficllm.work";
    /** Routine changes log at DEBUG (tllm:tasks shows the state); refusals at WARNING. */
    private static final System.Logger LOG = System.getLogger(TaskExtender.class.getName());
    private static final int TRACKED = Bundle.INSTALLED | Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE
            | Bundle.STOPPING;

    @ObjectClassDefinition(name = "TrafficLLM task extender",
            description = "Verification of task bundles and the versions kept for rollback")
    public @interface Config {
        @AttributeDefinition(description = "Refuse task bundles that are not signed by a key of the trusted keystore")
        boolean requireSignatures() default false;

        @AttributeDefinition(description = "Keystore whose certificates are trusted signers of task bundles")
        String trustedKeystore() default "";

        @AttributeDefinition(description = "Type of the trusted keystore")
        String trustedKeystoreType() default "PKCS12";

        /** Private property {@code .trustedKeystorePassword}: never copied into service properties. */
        @AttributeDefinition(type = AttributeType.PASSWORD, description = "Password of the trusted keystore")
        String _trustedKeystorePassword() default "";

        @AttributeDefinition(description = "Versions of each task kept for rollback")
        int keptVersions() default 3;

        @AttributeDefinition(description = "Seconds a request waits for task bundles that are still loading (at start-up)")
        int settleSeconds() default 30;
    }

    /** A base model service and the name and version it was registered with. */
    record BaseModelEntry(BaseModel model, String name, String version) {
    }

    /** The prompt layout adapters are trained on: serving builds its prompts the same way. */
    @Reference
    PromptFormat format;

    private final List<BaseModelEntry> baseModels = new CopyOnWriteArrayList<>();
    private final Map<Long, TaskSlot> slots = new ConcurrentHashMap<>();
    private final AtomicLong adapterSerial = new AtomicLong();
    private volatile SignatureTrust trust = SignatureTrust.none();
    private volatile KeptVersions kept;
    private volatile long settleNanos;
    private volatile boolean active;
    private BundleContext context;
    private ExecutorService loader;
    private BundleTracker<TaskSlot> tracker;
    private Path temporaryWork;

    @Activate
    void activate(BundleContext context, Config config) throws IOException {
        this.context = context;
        configure(config);
        loader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "trafficllm-task-loader");
            t.setDaemon(true);
            return t;
        });
        active = true;
        tracker = new BundleTracker<>(context, TRACKED, new BundleTrackerCustomizer<>() {
            @Override
            public TaskSlot addingBundle(Bundle bundle, BundleEvent event) {
                if (!isTaskBundle(bundle)) {
                    return null;
                }
                TaskSlot slot = new TaskSlot(bundle);
                slots.put(bundle.getBundleId(), slot);
                changed(slot, event);
                return slot;
            }

            @Override
            public void modifiedBundle(Bundle bundle, BundleEvent event, TaskSlot slot) {
                if (isTaskBundle(bundle)) {
                    changed(slot, event);
                } else {
                    retire(slot, TaskState.INSTALLED, "no longer a task bundle (no " + TASK_HEADER + " header)");
                }
            }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event, TaskSlot slot) {
                slots.remove(bundle.getBundleId());
                String id = taskId(slot);
                synchronized (slot) {
                    slot.removed = true;
                }
                retire(slot, TaskState.STOPPED, null);
                // Another bundle may carry the same task (a refused duplicate): its versions stay.
                if (event != null && event.getType() == BundleEvent.UNINSTALLED && id != null && slot(id).isEmpty()) {
                    kept.forget(id);
                }
            }
        });
        tracker.open();
    }

    @Modified
    void modified(Config config) throws IOException {
        configure(config);
    }

    private void configure(Config config) throws IOException {
        String password = config._trustedKeystorePassword();
        trust = SignatureTrust.of(config.requireSignatures(), config.trustedKeystore(), config.trustedKeystoreType(),
                password == null ? new char[0] : password.toCharArray());
        kept = new KeptVersions(workRoot(), config.keptVersions());
        settleNanos = TimeUnit.SECONDS.toNanos(Math.max(0, config.settleSeconds()));
        LOG.log(Level.DEBUG, "task extender: " + trust + "; kept versions in " + kept.root());
    }

    private Path workRoot() throws IOException {
        String work = context.getProperty(WORK_PROPERTY);
        if (work != null && !work.isBlank()) {
            return Path.of(work, "tasks");
        }
        if (temporaryWork == null) {
            temporaryWork = Files.createTempDirectory("trafficllm-tasks");
        }
        return temporaryWork;
    }

    @Deactivate
    void deactivate() {
        active = false;
        tracker.close();
        loader.shutdownNow();
        try {
            loader.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addBaseModel(BaseModel model, Map<String, Object> properties) {
        baseModels.add(new BaseModelEntry(model, String.valueOf(properties.get(BaseModel.NAME)),
                String.valueOf(properties.get(BaseModel.VERSION))));
        if (active) {
            for (TaskSlot slot : slots.values()) {
                synchronized (slot) {
                    if (slot.waitingForBase && slot.bundle.getState() == Bundle.ACTIVE) {
                        slot.waitingForBase = false;
                        slot.loadingRevision = null;
                        startLoad(slot);
                    }
                }
            }
        }
    }

    void removeBaseModel(BaseModel model) {
        baseModels.removeIf(e -> e.model() == model);
        for (TaskSlot slot : slots.values()) {
            ServingVersion gone = null;
            synchronized (slot) {
                if (slot.serving != null && slot.serving.base == model) {
                    gone = slot.serving;
                    slot.serving = null;
                    slot.servingRevision = null;
                    slot.attempt++;
                    slot.loadingRevision = null;
                    slot.waitingForBase = slot.bundle.getState() == Bundle.ACTIVE;
                    slot.state = slot.waitingForBase ? TaskState.WAITING : TaskState.INSTALLED;
                }
            }
            if (gone != null) {
                LOG.log(Level.DEBUG, "task " + gone + " stopped serving: its base model " + gone.baseName + " went away");
                gone.release();
            }
        }
    }

    static boolean isTaskBundle(Bundle bundle) {
        try {
            return bundle.getHeaders("").get(TASK_HEADER) != null;
        } catch (IllegalStateException uninstalled) {
            return false;
        }
    }

    // ---- bundle events (framework thread, synchronous) ----

    private void changed(TaskSlot slot, BundleEvent event) {
        Bundle bundle = slot.bundle;
        int type = event == null ? 0 : event.getType();
        ServingVersion stopped = null;
        synchronized (slot) {
            switch (bundle.getState()) {
            case Bundle.ACTIVE:
                startLoad(slot);
                break;
            case Bundle.STOPPING:
                if (!persistentlyStarted(bundle)) {
                    stopped = retireLocked(slot, TaskState.STOPPED);
                }
                break;
            case Bundle.INSTALLED:
            case Bundle.RESOLVED:
                if (type == 0 || type == BundleEvent.INSTALLED || type == BundleEvent.UPDATED) {
                    slot.declared = declared(bundle);
                    if (slot.serving != null) {
                        if (type == BundleEvent.UPDATED) {
                            slot.state = TaskState.UPDATING;
                        }
                    } else if (slot.state != TaskState.STOPPED || type == BundleEvent.UPDATED) {
                        slot.state = TaskState.INSTALLED;
                    }
                }
                break;
            default:
                break;
            }
        }
        if (stopped != null) {
            LOG.log(Level.DEBUG, "task " + stopped + " stopped");
            stopped.release();
        }
    }

    /** Starts verifying and loading the bundle's current revision, unless it serves or loads already. */
    private void startLoad(TaskSlot slot) {
        BundleRevision revision = slot.bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return;
        }
        if (slot.serving != null && revision == slot.servingRevision) {
            slot.state = TaskState.SERVING;
            return;
        }
        if (revision == slot.loadingRevision) {
            return;
        }
        slot.loadingRevision = revision;
        long attempt = ++slot.attempt;
        if (revision != slot.outcomeRevision || slot.outcome.isDone()) {
            CompletableFuture<TaskDTO> superseded = slot.outcome;
            slot.outcome = new CompletableFuture<>();
            slot.outcomeRevision = revision;
            superseded.complete(describeLocked(slot));
        }
        slot.state = slot.serving != null ? TaskState.UPDATING : TaskState.LOADING;
        loader.execute(() -> load(slot, revision, attempt));
    }

    // ---- loading (loader thread) ----

    private void load(TaskSlot slot, BundleRevision revision, long attempt) {
        Bundle bundle = slot.bundle;
        String origin = revision.getSymbolicName() + " " + revision.getVersion();
        Path exported = null;
        try {
            exported = kept.export(bundle);
            if (adoptedUnchanged(slot, revision, attempt, TaskBundleVerifier.contentDigest(exported))) {
                return;
            }
            VerifiedTask task = TaskBundleVerifier.verify(exported, origin, trust);
            checkUnique(slot, task, origin);
            BaseModelEntry base = baseFor(bundle, origin);
            if (base == null) {
                synchronized (slot) {
                    if (slot.attempt == attempt && !slot.removed) {
                        slot.loadingRevision = null;
                        slot.waitingForBase = true;
                        slot.state = slot.serving != null ? TaskState.UPDATING : TaskState.WAITING;
                    }
                }
                LOG.log(Level.DEBUG, origin + ": waiting for its base model " + BaseModelRequirement.required(bundle));
                return;
            }
            String adapterId = task.descriptor().id + "@" + task.version() + "#" + adapterSerial.incrementAndGet();
            AdapterInfo info = base.model().loadAdapter(adapterId, files(task, origin));
            ServingVersion loaded = new ServingVersion(task.withoutAdapterFiles(), adapterId, base.model(), base.name(), base.version(), info,
                    format.answerTokens(base.model(), task.descriptor().labels), base.model().info().maxContext);
            ServingVersion replaced;
            synchronized (slot) {
                if (slot.attempt != attempt || slot.removed) {
                    replaced = loaded;
                    loaded = null;
                } else {
                    replaced = slot.serving;
                    slot.serving = loaded;
                    slot.servingRevision = revision;
                    slot.loadingRevision = null;
                    slot.state = TaskState.SERVING;
                    if (replaced == null || !replaced.task.contentDigest().equals(task.contentDigest())) {
                        slot.refusal = null;
                    }
                }
            }
            if (replaced != null) {
                replaced.release();
            }
            if (loaded != null) {
                kept.keep(task.descriptor().id, task.version(), task.contentDigest(), exported);
                exported = null;
                LOG.log(Level.DEBUG, "task " + loaded + " serving (" + info.peftType + " adapter over " + base.name() + " "
                        + base.version() + (replaced != null ? ", replacing " + replaced.version : "") + ")");
            }
        } catch (TaskException | ModelException | IOException | RuntimeException e) {
            String reason = e instanceof IOException ? origin + ": cannot read the bundle: " + e.getMessage()
                    : e.getMessage();
            boolean current;
            synchronized (slot) {
                current = slot.attempt == attempt && !slot.removed;
                if (current) {
                    slot.loadingRevision = null;
                    slot.refusal = reason;
                    slot.state = slot.serving != null ? TaskState.SERVING : TaskState.REFUSED;
                }
            }
            if (current) {
                LOG.log(Level.WARNING, "refused " + reason
                        + (slot.serving != null ? "; " + slot.serving + " keeps serving" : ""));
            }
        } finally {
            if (exported != null) {
                try {
                    Files.deleteIfExists(exported);
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, "cannot delete " + exported + ": " + e.getMessage());
                }
            }
            synchronized (slot) {
                if (slot.outcomeRevision == revision && slot.loadingRevision == null && !slot.waitingForBase) {
                    slot.outcome.complete(describeLocked(slot));
                }
            }
        }
    }

    /**
     * A new revision whose data is byte for byte the serving version's (an update
     * that put the serving jar back after a refusal, the same jar dropped again) is
     * taken as it is: the verified, loaded version goes on serving from it, and the
     * refusal that led there stays listed.
     */
    private static boolean adoptedUnchanged(TaskSlot slot, BundleRevision revision, long attempt, String digest) {
        synchronized (slot) {
            if (digest == null || slot.serving == null || slot.attempt != attempt || slot.removed
                    || !digest.equals(slot.serving.task.contentDigest())) {
                return false;
            }
            slot.servingRevision = revision;
            slot.loadingRevision = null;
            slot.state = TaskState.SERVING;
            return true;
        }
    }

    private static AdapterFiles files(VerifiedTask task, String origin) {
        AdapterFiles inMemory = AdapterFiles.of(task.adapterFiles());
        return new AdapterFiles() {
            @Override
            public InputStream open(String name) throws IOException {
                return inMemory.open(name);
            }

            @Override
            public String origin() {
                return origin;
            }
        };
    }

    private void checkUnique(TaskSlot slot, VerifiedTask task, String origin) throws TaskException {
        TaskDescriptorDTO d = task.descriptor();
        for (TaskSlot other : slots.values()) {
            ServingVersion v = other.serving;
            if (other == slot || v == null) {
                continue;
            }
            String clash = v.descriptor.id.equalsIgnoreCase(d.id) ? "task id '" + d.id + "'"
                    : v.descriptor.name.equalsIgnoreCase(d.name) ? "task name '" + d.name + "'"
                    : v.descriptor.kind == TaskKind.ROUTER && d.kind == TaskKind.ROUTER ? "a router task" : null;
            if (clash != null) {
                throw new TaskException(origin + ": " + clash + " is already served by bundle " + other.bundle.getBundleId()
                        + " (" + other.bundle.getSymbolicName() + " " + v.version + ")");
            }
        }
    }

    /** The base model service the bundle's requirement is wired to; null while that service is missing. */
    private BaseModelEntry baseFor(Bundle bundle, String origin) throws TaskException {
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        List<BundleWire> wires = wiring == null ? List.of() : wiring.getRequiredWires(BaseModel.CAPABILITY_NAMESPACE);
        if (wires == null || wires.isEmpty()) {
            throw new TaskException(origin + ": requires no " + BaseModel.CAPABILITY_NAMESPACE
                    + " capability; a task bundle names the base model its adapter was trained on");
        }
        Map<String, Object> attributes = wires.get(0).getCapability().getAttributes();
        String name = String.valueOf(attributes.get(BaseModel.CAPABILITY_NAMESPACE));
        Object version = attributes.get("version");
        for (BaseModelEntry e : baseModels) {
            if (e.name().equals(name) && (version == null || sameVersion(version.toString(), e.version()))) {
                return e;
            }
        }
        return null;
    }

    private static boolean sameVersion(String a, String b) {
        try {
            return Version.parseVersion(a).equals(Version.parseVersion(b));
        } catch (IllegalArgumentException e) {
            return a.equals(b);
        }
    }

    // ---- retirement ----

    private void retire(TaskSlot slot, TaskState state, String reason) {
        ServingVersion old;
        synchronized (slot) {
            old = retireLocked(slot, state);
            if (reason != null) {
                slot.refusal = reason;
            }
            slot.outcome.complete(describeLocked(slot));
        }
        if (old != null) {
            LOG.log(Level.DEBUG, "task " + old + " unregistered");
            old.release();
        }
    }

    private static ServingVersion retireLocked(TaskSlot slot, TaskState state) {
        ServingVersion old = slot.serving;
        slot.serving = null;
        slot.servingRevision = null;
        slot.loadingRevision = null;
        slot.waitingForBase = false;
        slot.attempt++;
        slot.state = state;
        return old;
    }

    private static boolean persistentlyStarted(Bundle bundle) {
        try {
            BundleStartLevel level = bundle.adapt(BundleStartLevel.class);
            return level != null && level.isPersistentlyStarted();
        } catch (IllegalStateException uninstalled) {
            return false;
        }
    }

    private static TaskDescriptorDTO declared(Bundle bundle) {
        try {
            String path = bundle.getHeaders("").get(TASK_HEADER);
            URL entry = path == null ? null : bundle.getEntry(path.trim());
            if (entry == null) {
                return null;
            }
            try (InputStream in = entry.openStream()) {
                return TaskJson.descriptor(path, in.readAllBytes());
            }
        } catch (IOException | TaskException | IllegalStateException e) {
            return null;
        }
    }

    private static String taskId(TaskSlot slot) {
        synchronized (slot) {
            ServingVersion v = slot.serving;
            return v != null ? v.descriptor.id : slot.declared != null ? slot.declared.id : null;
        }
    }

    // ---- views for the lifecycle service ----

    /** The slot of the task with this id or name, serving or not. */
    Optional<TaskSlot> slot(String idOrName) {
        if (idOrName == null) {
            return Optional.empty();
        }
        String key = idOrName.trim();
        for (TaskSlot slot : slots.values()) {
            synchronized (slot) {
                TaskDescriptorDTO d = slot.serving != null ? slot.serving.descriptor : slot.declared;
                if (d != null && (d.id.equalsIgnoreCase(key) || d.name.equalsIgnoreCase(key))) {
                    return Optional.of(slot);
                }
            }
        }
        return Optional.empty();
    }

    Optional<TaskSlot> slot(Bundle bundle) {
        return Optional.ofNullable(slots.get(bundle.getBundleId()));
    }

    /** Completes when the bundle's current revision serves or was refused. */
    CompletableFuture<TaskDTO> outcome(Bundle bundle) {
        TaskSlot slot = slots.get(bundle.getBundleId());
        if (slot == null) {
            return CompletableFuture.completedFuture(null);
        }
        synchronized (slot) {
            BundleRevision current = bundle.adapt(BundleRevision.class);
            if (slot.outcomeRevision == current || slot.loadingRevision != null || slot.waitingForBase) {
                return slot.outcome;
            }
            return CompletableFuture.completedFuture(describeLocked(slot));
        }
    }

    /** True when the version serving was loaded from the bundle's current revision. */
    boolean servesCurrentRevision(TaskSlot slot) {
        synchronized (slot) {
            return slot.serving != null && slot.servingRevision == slot.bundle.adapt(BundleRevision.class);
        }
    }

    KeptVersions kept() {
        return kept;
    }

    TaskDTO describe(TaskSlot slot) {
        synchronized (slot) {
            return describeLocked(slot);
        }
    }

    private TaskDTO describeLocked(TaskSlot slot) {
        Bundle bundle = slot.bundle;
        ServingVersion v = slot.serving;
        TaskDescriptorDTO t = v != null ? v.descriptor : slot.declared;
        TaskDTO d = new TaskDTO();
        d.bundleId = bundle.getBundleId();
        d.symbolicName = bundle.getSymbolicName();
        d.bundleVersion = bundle.getVersion().toString();
        if (t != null) {
            d.id = t.id;
            d.name = t.name;
            d.kind = t.kind;
            d.granularity = t.granularity;
            d.renderer = t.renderer;
            d.labels = new ArrayList<>(t.labels);
            d.mask = TaskJson.mask(t);
        } else {
            d.id = bundle.getSymbolicName();
            d.labels = List.of();
        }
        d.version = v != null ? v.version : d.bundleVersion;
        d.state = slot.state;
        d.refusal = slot.refusal;
        if (bundle.getState() == Bundle.INSTALLED && slot.loadingRevision == null && persistentlyStarted(bundle)
                && context != null) {
            String why = BaseModelRequirement.unresolved(context, bundle);
            if (why != null) {
                d.refusal = bundle.getSymbolicName() + " " + bundle.getVersion() + ": " + why;
                d.state = v != null ? TaskState.SERVING : TaskState.REFUSED;
            }
        }
        if (v != null) {
            d.baseModel = v.baseName;
            d.baseModelVersion = v.baseVersion;
            d.testF1 = v.task.testF1();
            d.peftType = v.adapter.peftType;
            d.adapterBytes = v.adapter.memoryBytes;
            d.signer = v.task.signer();
        } else {
            d.baseModel = BaseModelRequirement.required(bundle);
        }
        List<String> versions = new ArrayList<>();
        KeptVersions k = kept;
        if (k != null && t != null) {
            for (KeptVersions.Kept kv : k.versions(t.id)) {
                versions.add(kv.version());
            }
        }
        d.keptVersions = versions;
        return d;
    }

    // ---- TaskRegistry ----

    @Override
    public List<TaskDTO> tasks() {
        try {
            awaitSettled();
        } catch (TaskException interrupted) {
            // list what there is now
        }
        List<TaskDTO> list = new ArrayList<>();
        for (TaskSlot slot : slots.values()) {
            list.add(describe(slot));
        }
        list.sort(Comparator.comparing((TaskDTO d) -> d.id, String.CASE_INSENSITIVE_ORDER)
                .thenComparingLong(d -> d.bundleId));
        return list;
    }

    @Override
    public Optional<TaskDTO> task(String idOrName) {
        return slot(idOrName).map(this::describe);
    }

    /**
     * Waits (up to the configured time) while a started task bundle is still being
     * loaded for the first time or waits for its base model, so that a request right
     * after start-up sees every task the runtime ships rather than the ones that
     * happened to be quicker.
     */
    private void awaitSettled() throws TaskException {
        long deadline = System.nanoTime() + settleNanos;
        while (System.nanoTime() < deadline && slots.values().stream().anyMatch(TaskExtender::coming)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TaskException("interrupted while waiting for task bundles to load", e);
            }
        }
    }

    private static boolean coming(TaskSlot slot) {
        synchronized (slot) {
            return slot.serving == null && (slot.state == TaskState.LOADING || slot.state == TaskState.WAITING);
        }
    }

    /** Takes a lease on the version of a task serving now. */
    ServingVersion acquire(String idOrName) throws TaskException {
        Optional<TaskSlot> slot = slot(idOrName);
        if (slot.isEmpty() || coming(slot.get())) {
            awaitSettled();
        }
        while (true) {
            ServingVersion v = servingVersion(idOrName);
            if (v.acquire()) {
                return v;
            }
        }
    }

    /** Takes a lease on a serving task of the given kind; {@code purpose} names the request in the error. */
    private ServingVersion acquire(String idOrName, TaskKind kind, String purpose) throws TaskException {
        ServingVersion v = acquire(idOrName);
        if (v.descriptor.kind != kind) {
            v.release();
            throw new TaskException("task '" + v.descriptor.id + "' is a " + v.descriptor.kind.word() + " task; "
                    + purpose + " needs a " + kind.word() + " task");
        }
        return v;
    }

    private ServingVersion servingVersion(String idOrName) throws TaskException {
        Optional<TaskSlot> slot = slot(idOrName);
        if (slot.isEmpty()) {
            List<String> ids = new ArrayList<>();
            for (TaskDTO d : tasks()) {
                ids.add(d.id);
            }
            throw new TaskException("unknown task '" + idOrName + "'; installed: "
                    + (ids.isEmpty() ? "none" : String.join(", ", ids)));
        }
        ServingVersion v = slot.get().serving;
        if (v == null) {
            TaskDTO d = describe(slot.get());
            throw new TaskException("task '" + d.id + "' is not serving (" + d.state.word()
                    + (d.refusal != null ? ": " + d.refusal : "") + ")");
        }
        return v;
    }

    @Override
    public List<TaskAnswerDTO> classify(String task, Granularity granularity, List<String> traffic)
            throws TaskException {
        ServingVersion v = acquire(task, TaskKind.DETECTION, "classification");
        try {
            TaskDescriptorDTO d = v.descriptor;
            TaskDescriptorDTO asked = withGranularity(d, granularity);
            List<ClassificationRequest> requests = new ArrayList<>(traffic.size());
            List<PromptTokensDTO> prompts = new ArrayList<>(traffic.size());
            for (String text : traffic) {
                // The answer's room was measured when the version loaded; labels are not encoded per sample.
                PromptTokensDTO p = format.tokens(v.base, format.prompt(asked, text == null ? "" : text),
                        d.trafficTokens, v.prefixTokens() + v.answerTokens);
                ClassificationRequest r = new ClassificationRequest(v.adapterId, null, d.labels);
                r.promptTokenIds = p.tokenIds;
                requests.add(r);
                prompts.add(p);
            }
            List<ClassificationResult> results = v.base.classifyBatch(requests);
            List<TaskAnswerDTO> answers = new ArrayList<>(results.size());
            for (int i = 0; i < results.size(); i++) {
                ClassificationResult r = results.get(i);
                TaskAnswerDTO a = answer(v);
                a.label = r.label;
                a.score = r.probabilities.getOrDefault(r.label, 0.0);
                a.probabilities = new LinkedHashMap<>(r.probabilities);
                a.promptTokens = prompts.get(i).promptTokens;
                a.truncated = prompts.get(i).variableTokensCut > 0;
                answers.add(a);
            }
            return answers;
        } catch (ModelException | TuningException e) {
            throw new TaskException("task '" + v.descriptor.id + "' " + v.version + ": " + e.getMessage(), e);
        } finally {
            v.release();
        }
    }

    @Override
    public TaskAnswerDTO generate(String task, Granularity granularity, String label, int maxNewTokens)
            throws TaskException {
        ServingVersion v = acquire(task, TaskKind.GENERATION, "generation");
        try {
            TaskDescriptorDTO d = v.descriptor;
            if (!d.labels.isEmpty() && !d.labels.contains(label)) {
                throw new TaskException("task '" + d.id + "' generates " + String.join(", ", d.labels) + "; not '"
                        + label + "'");
            }
            int tokens = Math.max(1, maxNewTokens);
            PromptTokensDTO p = format.tokens(v.base, format.prompt(withGranularity(d, granularity), label), 0,
                    v.prefixTokens() + tokens);
            GenerationRequest request = new GenerationRequest();
            request.adapterId = v.adapterId;
            request.promptTokenIds = p.tokenIds;
            request.maxNewTokens = tokens;
            GenerationResult r = v.base.generate(request);
            TaskAnswerDTO a = answer(v);
            a.label = label;
            a.text = r.text;
            a.score = 1.0;
            a.promptTokens = r.promptTokens;
            a.truncated = p.variableTokensCut > 0;
            return a;
        } catch (ModelException | TuningException e) {
            throw new TaskException("task '" + v.descriptor.id + "' " + v.version + ": " + e.getMessage(), e);
        } finally {
            v.release();
        }
    }

    /** The descriptor as asked: its prompt names the granularity of the traffic at hand. */
    private static TaskDescriptorDTO withGranularity(TaskDescriptorDTO d, Granularity granularity) {
        if (granularity == null || granularity == d.granularity) {
            return d;
        }
        TaskDescriptorDTO c = new TaskDescriptorDTO();
        c.id = d.id;
        c.name = d.name;
        c.kind = d.kind;
        c.renderer = d.renderer;
        c.labels = d.labels;
        c.promptTemplate = d.promptTemplate;
        c.outputTemplate = d.outputTemplate;
        c.templateSource = d.templateSource;
        c.trafficTokens = d.trafficTokens;
        c.mask = d.mask;
        c.granularity = granularity;
        return c;
    }

    private static TaskAnswerDTO answer(ServingVersion v) {
        TaskAnswerDTO a = new TaskAnswerDTO();
        a.task = v.descriptor.id;
        a.version = v.version;
        return a;
    }

    @Override
    public RouteDTO route(String instruction, TaskKind kind) throws TaskException {
        if (instruction == null || instruction.isBlank()) {
            throw new TaskException("route: the instruction is empty");
        }
        awaitSettled();
        ServingVersion router = acquireRouter();
        try {
            Map<String, String> byName = new LinkedHashMap<>();
            List<ServingVersion> candidates = new ArrayList<>();
            for (TaskSlot slot : slots.values()) {
                ServingVersion v = slot.serving;
                if (v != null && v.descriptor.kind != TaskKind.ROUTER && (kind == null || v.descriptor.kind == kind)) {
                    candidates.add(v);
                }
            }
            candidates.sort(Comparator.comparing(v -> v.descriptor.id, String.CASE_INSENSITIVE_ORDER));
            for (ServingVersion v : candidates) {
                byName.put(v.descriptor.name, v.descriptor.id);
            }
            if (byName.isEmpty()) {
                throw new TaskException("route: no " + (kind == null ? "" : kind.word() + " ")
                        + "task is serving to route to");
            }
            List<String> names = new ArrayList<>(byName.keySet());
            TaskDescriptorDTO d = router.descriptor;
            PromptTokensDTO p = format.classificationTokens(router.base, format.prompt(d, instruction), d.trafficTokens,
                    router.prefixTokens(), names);
            ClassificationRequest request = new ClassificationRequest(router.adapterId, null, names);
            request.promptTokenIds = p.tokenIds;
            ClassificationResult r = router.base.classify(request);
            RouteDTO route = new RouteDTO();
            route.instruction = instruction;
            route.taskName = r.label;
            route.task = byName.get(r.label);
            route.score = r.probabilities.getOrDefault(r.label, 0.0);
            route.probabilities = new LinkedHashMap<>(r.probabilities);
            route.router = d.id;
            route.routerVersion = router.version;
            return route;
        } catch (ModelException | TuningException e) {
            throw new TaskException("router '" + router.descriptor.id + "' " + router.version + ": " + e.getMessage(), e);
        } finally {
            router.release();
        }
    }

    private ServingVersion acquireRouter() throws TaskException {
        while (true) {
            ServingVersion found = null;
            for (TaskSlot slot : slots.values()) {
                ServingVersion v = slot.serving;
                if (v != null && v.descriptor.kind == TaskKind.ROUTER) {
                    found = v;
                    break;
                }
            }
            if (found == null) {
                throw new TaskException("no router task is serving; install one (a task bundle of kind router) or "
                        + "name the task");
            }
            if (found.acquire()) {
                return found;
            }
        }
    }
}
