import 'reflect-metadata';
import { serve } from './server';

void serve();
