/**
 * Task bundles on a shared base model: the extender that verifies data-only task
 * bundles and loads their adapters, the registry and router over the tasks serving
 * now, the lifecycle service that registers, updates, rolls back and unregisters
 * them while requests keep being answered, the packager that builds them, the
 * capture analyzer, and the feature repository.
 */
package org.trafficllm.eapeft.impl;
