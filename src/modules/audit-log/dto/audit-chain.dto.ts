import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { CHAIN_NAME } from '../audit-chain';

const CHAIN_DESCRIPTION = 'A chain: `admin`, or a district code (6 to 12 digits)';

export class VerifyQuery {
  @ApiPropertyOptional({ example: '341602', description: `Only this chain. ${CHAIN_DESCRIPTION}` })
  @IsOptional()
  @IsString()
  @Matches(CHAIN_NAME, { message: 'chain must be admin or a district code' })
  chain?: string;
}

export class ChainHeadDto {
  @ApiProperty() seq!: number;
  @ApiProperty({ description: 'SHA-256 link of the row at seq' }) hash!: string;
}

export class ChainStateDto {
  @ApiProperty({ example: '341602', description: CHAIN_DESCRIPTION }) chain!: string;
  @ApiProperty() ok!: boolean;
  @ApiProperty({ description: 'Events of this chain checked before the first break' })
  events!: number;
  @ApiProperty({ type: ChainHeadDto, nullable: true, description: "The chain's last row" })
  head!: ChainHeadDto | null;
  @ApiPropertyOptional({ description: 'seq of the first event of this chain that does not fit' })
  firstBrokenAt?: number;
}

export class ChainReportDto {
  @ApiProperty({ description: 'Every chain checked verifies' }) ok!: boolean;
  @ApiProperty({ description: 'Events checked, over all chains' }) events!: number;
  @ApiPropertyOptional({
    description: 'seq of the first event that does not fit, in the first broken chain',
  })
  firstBrokenAt?: number;
  @ApiPropertyOptional({ description: 'The first broken chain (by name)' })
  firstBrokenChain?: string;
  @ApiProperty({ type: [ChainStateDto] }) chains!: ChainStateDto[];
}

export class KeptHeadDto {
  @ApiProperty({ example: '341602', description: CHAIN_DESCRIPTION })
  @IsString()
  @Matches(CHAIN_NAME, { message: 'chain must be admin or a district code' })
  chain!: string;

  @ApiProperty({ example: 42 })
  @IsInt()
  @Min(1)
  seq!: number;

  @ApiProperty({
    description:
      'The hash kept for that seq: all 64 hex digits, or the first 16 or more (as printed on a document)',
  })
  @IsString()
  @Matches(/^[0-9a-f]{16,64}$/, { message: 'hash must be 16 to 64 lowercase hex digits' })
  hash!: string;
}

export class HeadsSnapshotDto {
  @ApiProperty({ description: 'When the snapshot was taken' }) at!: string;
  @ApiProperty({ type: [KeptHeadDto] }) heads!: KeptHeadDto[];
}

export class VerifyHeadsDto {
  @ApiPropertyOptional({ description: 'When the snapshot was taken (kept for the record)' })
  @IsOptional()
  @IsString()
  at?: string;

  @ApiProperty({ type: [KeptHeadDto], description: 'A kept GET /audit-log/heads snapshot' })
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => KeptHeadDto)
  heads!: KeptHeadDto[];
}

export class KeptHeadStateDto {
  @ApiProperty({ example: '341602' }) chain!: string;
  @ApiProperty() ok!: boolean;
  @ApiPropertyOptional({
    enum: ['broken', 'truncated', 'differs'],
    description:
      'broken: the chain does not verify up to the kept head; truncated: it ends before it; differs: another row stands at its seq',
  })
  problem?: 'broken' | 'truncated' | 'differs';
  @ApiProperty({ type: ChainHeadDto }) kept!: ChainHeadDto;
  @ApiProperty({ type: ChainHeadDto, nullable: true }) head!: ChainHeadDto | null;
  @ApiPropertyOptional({ description: 'seq of the first missing or wrong event' })
  firstBrokenAt?: number;
}

export class HeadsReportDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ type: [KeptHeadStateDto] }) chains!: KeptHeadStateDto[];
}
