import 'reflect-metadata';
import { serve } from '../../../src/server';
import { createTwinApp } from '../twin-app';
import { FAULTS } from '../weakened';

/**
 * The built app with one fault: it kills itself (SIGKILL) once a payout's transaction has
 * committed, before the answer goes out (battery-processes, "crash after commit"). Compiled with
 * the app by `buildApp(name, { testEntries: true })`; started by `AppProcess` with this entry.
 */
void serve((config, logger) => createTwinApp(config, logger, FAULTS['crash-after-payout-commit']));
