import { Global, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { RateLimiter } from '../../common/http/rate-limiter';
import { APP_CONFIG, type RuntimeConfig } from '../../config/config.module';
import { AccessGuard } from './access.guard';
import { ActorLoader } from './actor.loader';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { PasswordChangeService } from './password-change.service';
import { PasswordController } from './password.controller';
import { SessionVerifier } from './session-verifier';
import { TokenIssuer } from './token-issuer';
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
  controllers: [AuthController, PasswordController],
  providers: [
    AuthService,
    PasswordChangeService,
    SessionVerifier,
    TokenIssuer,
    ActorLoader,
    RouteAccessCheck,
    RateLimiter,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [
    ActorLoader,
    RateLimiter,
    AuthService,
    SessionVerifier,
    TokenIssuer,
    PasswordChangeService,
  ],
})
export class AuthModule {}
