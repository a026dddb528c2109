import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { GRADES, type Grade } from '../organisation.entity';
import { BlacklistEntryDto, ListingDto } from './directory.dto';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class CreateOrganisationDto {
  @ApiProperty({ example: '亳州市焦魁农机专业合作社' })
  @Transform(trim)
  @IsString()
  @Length(2, 200)
  name!: string;

  @ApiProperty({
    example: '93341602MA2N0JKQ0X',
    description: '统一社会信用代码, 18 characters with its check character',
  })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toUpperCase() : value,
  )
  @IsString()
  creditCode!: string;

  @ApiProperty({ example: '焦魁' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  legalRepresentative!: string;

  @ApiProperty({ enum: GRADES, description: 'Demonstration cooperative grade (示范社)' })
  @IsIn(GRADES)
  grade!: Grade;

  @ApiProperty({ example: '安徽亳州农村商业银行谯城支行' })
  @Transform(trim)
  @IsString()
  @Length(2, 200)
  bankName!: string;

  @ApiProperty({ example: '亳州市焦魁农机专业合作社' })
  @Transform(trim)
  @IsString()
  @Length(2, 200)
  bankAccountName!: string;

  @ApiProperty({ example: '20000123456789012345', description: 'Digits only, 8 to 32' })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.replace(/\s/g, '') : value,
  )
  @IsString()
  @Matches(/^\d{8,32}$/, { message: 'bankAccountNo must be 8 to 32 digits' })
  bankAccountNo!: string;
}

export class OrganisationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() creditCode!: string;
  @ApiProperty() legalRepresentative!: string;
  @ApiProperty({ enum: GRADES }) grade!: Grade;
  @ApiProperty() bankName!: string;
  @ApiProperty() bankAccountName!: string;
  @ApiProperty({
    description: 'Masked (last 4 digits) unless you are admin, finance, or this organisation',
  })
  bankAccountNo!: string;
}

/** `GET /organisations/:id`: the organisation with its directory listings and blacklist entries. */
export class OrganisationDetailDto extends OrganisationDto {
  @ApiProperty({ type: [ListingDto] }) listings!: ListingDto[];
  @ApiProperty({ type: [BlacklistEntryDto] }) blacklist!: BlacklistEntryDto[];
  @ApiProperty({ description: 'Listed in the directory and not blacklisted today' })
  eligibleToday!: boolean;
  @ApiProperty() listedToday!: boolean;
  @ApiProperty() blacklistedToday!: boolean;
}
