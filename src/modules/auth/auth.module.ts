import { Global, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { RateLimiter } from '../../common/http/rate-limiter';
import { APP_CONFIG, type RuntimeConfig } from '../../config/config.module';
import { AccessGuard } from './access.guard';
import { ActorLoader } from './actor.loader';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { RouteAccessCheck } from './route-access.check';

@Global()
@Module({
  imports: [
    DiscoveryModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: RuntimeConfig) => ({
        secret: config.jwtSecret,
        signOptions: { algorithm: 'HS256', issuer: 'agri-subsidy' },
        verifyOptions: { algorithms: ['HS256'], issuer: 'agri-subsidy' },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    ActorLoader,
    RouteAccessCheck,
    RateLimiter,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [ActorLoader, RateLimiter],
})
export class AuthModule {}
